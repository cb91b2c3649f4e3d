package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.finished;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, item 1: ops' own rule about every checked task lives in a file of theirs, not in the engine's routes.
 * The README's example, read from the README itself, runs as written: a route from direct:task-checked, in the
 * deployment's routes/ beside the routing rules, sees each checked task with the routing rules' variables.
 */
class OwnRulesTest {

    /** The README's example: the yaml block after "Your own rule about every checked task". */
    private static final Pattern EXAMPLE = Pattern.compile(
            "\\*\\*Your own rule about every checked task\\*\\*.*?```yaml\\n(.*?)\\n *```", Pattern.DOTALL);

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @TempDir
    Path deployment;

    @Test
    void theReadmesOwnRuleSeesEveryCheckedTaskFromAFileOfOpsOwn() throws Exception {
        Matcher example = EXAMPLE.matcher(Files.readString(Path.of("README.md")));
        assertThat(example.find()).as("the README's example").isTrue();
        Path routes = Files.createDirectories(deployment.resolve("routes"));
        Files.copy(Path.of("routes/alert-routing.camel.yaml"), routes.resolve("alert-routing.camel.yaml"));
        Files.writeString(routes.resolve("own-rules.camel.yaml"), example.group(1).replaceAll("(?m)^  ", ""));
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmCancelled", "Cancelled EN-DE")
                .lastTask("tmCancelled", finished("task-9", "CANCELLED", ""))
                .translationMemory("tmOk", "Fine EN-DE").lastTask("tmOk", ok("task-1"));
        Map<String, String> settings = bed.settingsWatching("tmCancelled,tmOk");
        settings.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    !logs.linesContaining("TM tmCancelled: task cancelled").isEmpty());
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(logs.linesContaining("task cancelled")).as("the rule, for the cancelled task only")
                    .allSatisfy(line -> assertThat(line).contains("tmCancelled"));
            assertThat(monitor.context().getRoute("own-rules")).isNotNull();
        }
    }
}
