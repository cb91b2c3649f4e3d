package io.github.phrasetmmonitor;

import io.github.phrasetmmonitor.support.StateFile;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9, three times, while failures keep appearing in Phrase, then a last restart. Each kill lands at a different
 * moment: while Slack holds a post (the delivery is in flight), in a round after everything was delivered, and while
 * Phrase is slow to answer. What must hold: every failed task is alerted, none is lost; only the alert that was in
 * flight at a kill may be sent twice; the state file is readable after every kill and the monitor runs on.
 */
class KillAndRestartTest {

    private static final List<String> FAILED_TASKS = List.of("task-1a", "task-1b", "task-2a", "task-2c", "task-3b");

    @TempDir
    Path workDir;

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        MonitorProcess.prepareWorkDir(workDir);
        bed.phrase()
                .translationMemory("tmA", "Glossary EN-DE").lastTask("tmA", failed("task-1a", "TMX broken"))
                .translationMemory("tmB", "Support EN-FR").lastTask("tmB", ok("task-0b"))
                .translationMemory("tmC", "Docs EN-JA").lastTask("tmC", ok("task-0c"));
    }

    private Map<String, String> env() {
        return MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(), workDir.resolve("data"),
                "tmA,tmB,tmC");
    }

    private boolean journalHas(String... keys) {
        try {
            return StateFile.deliveredAlerts(workDir.resolve("data")).containsAll(List.of(keys));
        } catch (IOException notYet) {
            return false;
        }
    }

    private boolean slackGot(String taskId) {
        return bed.slack().posts().stream().anyMatch(post -> post.contains(taskId));
    }

    private int lastTaskCalls(String uid) {
        return bed.phrase().server().countRequestsMatching(getRequestedFor(
                urlEqualTo("/web/api2/v1/transMemories/" + uid + "/lastBackgroundTask")).build()).getCount();
    }

    @Test
    void threeKillsWhileFailuresKeepAppearingLoseNoAlertAndRepeatAtMostTheOneInFlight() throws Exception {
        Duration patience = Duration.ofSeconds(60);

        // kill 1: while Slack holds the post for task-1b, i.e. in the middle of its delivery
        try (MonitorProcess first = MonitorProcess.start(workDir, env())) {
            await().atMost(patience).until(() -> journalHas("slack:tmA:task-1a"));
            bed.slack().holdAnswers();
            bed.phrase().lastTask("tmB", failed("task-1b", "Import failed"));
            await().atMost(patience).until(() -> slackGot("task-1b"));
            first.kill();
            bed.slack().release();
        }
        assertThat(journalHas("slack:tmB:task-1b")).as("an alert in flight is not recorded as sent").isFalse();

        // kill 2: in a later round, after the new failures were delivered
        bed.phrase().lastTask("tmA", failed("task-2a", "TMX broken again"));
        bed.phrase().lastTask("tmC", failed("task-2c", "Export failed"));
        try (MonitorProcess second = MonitorProcess.start(workDir, env())) {
            await().atMost(patience).until(() -> journalHas("slack:tmB:task-1b", "slack:tmA:task-2a",
                    "slack:tmC:task-2c"));
            int callsBefore = lastTaskCalls("tmA");
            await().atMost(patience).until(() -> lastTaskCalls("tmA") > callsBefore);
            second.kill();
        }

        // kill 3: while Phrase is slow to answer, in the middle of a round
        bed.phrase().lastTask("tmB", failed("task-3b", "Import failed once more"));
        try (MonitorProcess third = MonitorProcess.start(workDir, env())) {
            await().atMost(patience).until(() -> journalHas("slack:tmB:task-3b"));
            bed.phrase().lastTask("tmC", okJson(failed("task-2c", "Export failed")).withFixedDelay(5_000));
            int callsBefore = lastTaskCalls("tmC");
            await().atMost(patience).until(() -> lastTaskCalls("tmC") > callsBefore);
            third.kill();
        }

        // the last start: the monitor runs on and catches up
        bed.phrase().lastTask("tmC", failed("task-2c", "Export failed"));
        Map<String, String> lastEnv = env();
        try (MonitorProcess last = MonitorProcess.start(workDir, lastEnv)) {
            int callsBefore = lastTaskCalls("tmC");
            await().atMost(patience).until(() -> lastTaskCalls("tmC") >= callsBefore + 3);
            assertThat(last.isAlive()).isTrue();
            assertThat(last.output()).doesNotContain("cannot be read", "ERROR [");
            String ready = "http://127.0.0.1:" + lastEnv.get("MONITOR_MANAGEMENT_PORT") + "/observe/health/ready";
            await().atMost(patience).until(() -> Management.get(ready).status() == 200);
        }

        Map<String, Long> alertsPerTask = FAILED_TASKS.stream().collect(Collectors.toMap(Function.identity(),
                task -> bed.slack().posts().stream().filter(post -> post.contains(task)).count()));
        assertThat(alertsPerTask).as("every failed task alerted").allSatisfy((task, count) ->
                assertThat(count).as(task).isBetween(1L, 2L));
        assertThat(alertsPerTask.get("task-1b")).as("the alert in flight at kill 1 is sent again").isEqualTo(2);
        assertThat(alertsPerTask.values().stream().filter(count -> count == 2).count())
                .as("at most one alert sent twice: %s", alertsPerTask).isLessThanOrEqualTo(1);
        assertThat(bed.slack().posts()).as("nothing but the failed tasks").hasSize(
                (int) alertsPerTask.values().stream().mapToLong(Long::longValue).sum());
    }
}
