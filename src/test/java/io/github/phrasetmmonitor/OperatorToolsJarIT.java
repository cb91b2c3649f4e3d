package io.github.phrasetmmonitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.PhraseDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator tools as the README runs them: {@code java -jar phrase-tm-monitor.jar validate|explain} in a deployment
 * directory, on the jar {@code mvn package} built, with only its own dependencies (the schema validator and its
 * Jackson 3 among them). Runs in failsafe's integration-test phase, after packaging.
 */
class OperatorToolsJarIT {

    private static final Path JAR = Path.of("target", "phrase-tm-monitor.jar");
    /** An address nothing answers on: the tools here must contact nothing. */
    private static final Map<String, String> ENV = Map.of(
            "PHRASE_API_TOKEN", "jar-test-token",
            "ALERT_SLACK_WEBHOOK_URL", "https://hooks.slack.invalid/services/T0/B0/x",
            "MONITOR_STATE_DIR", "state");

    @TempDir
    Path workDir;

    @Test
    void validateFromTheJarPassesTheShippedFilesAndNamesABrokenTemplate() throws Exception {
        MonitorProcess.prepareWorkDir(workDir);

        MonitorProcess.Result shipped = MonitorProcess.runJarUntilExit(workDir, JAR, List.of("validate"), ENV, 120);
        assertThat(shipped.exitCode()).as(shipped.output()).isZero();
        assertThat(shipped.output()).contains("validate: no problem found in the settings, 12 route files");

        Path template = workDir.resolve("templates/email-alert.yaml");
        Files.writeString(template, Files.readString(template).replace("{{/reminder}}", ""));
        MonitorProcess.Result broken = MonitorProcess.runJarUntilExit(workDir, JAR, List.of("validate"), ENV, 120);
        assertThat(broken.exitCode()).as(broken.output()).isEqualTo(1);
        assertThat(broken.output()).contains("email-alert.yaml part 'subject' does not compile")
                .contains("validate: ");
        assertThat(workDir.resolve("state")).as("validate writes nothing").doesNotExist();
    }

    @Test
    void explainFromTheJarRendersASavedTaskWithoutAJournal() throws Exception {
        MonitorProcess.prepareWorkDir(workDir);
        Files.writeString(workDir.resolve("task.json"), PhraseDocuments.failed("task-9", "TMX broken"));

        MonitorProcess.Result explain = MonitorProcess.runJarUntilExit(workDir, JAR,
                List.of("explain", "--task", "task.json", "--tm-name", "Docs EN-DE"), ENV, 120);

        assertThat(explain.exitCode()).as(explain.output()).isZero();
        assertThat(explain.output()).contains("Outcome: FAILED", "Routing rule: none matched; the defaults apply",
                "# Phrase TM task failed", "Dry run: nothing was sent or recorded.");
        assertThat(workDir.resolve("state")).as("no journal written").doesNotExist();
    }

    /** Issue 19, item 3: everything the jar prints for a TM Phrase does not have is the tool's own one line. */
    @Test
    void explainFromTheJarOnATmPhraseDoesNotHavePrintsOneLineOnly() throws Exception {
        MonitorProcess.prepareWorkDir(workDir);
        try (PhraseApiStub phrase = new PhraseApiStub()) {
            Map<String, String> env = new HashMap<>(ENV);
            env.put("PHRASE_BASE_URL", phrase.baseUrl());
            env.put("PHRASE_MAX_RETRIES", "0");

            MonitorProcess.Result explain = MonitorProcess.runJarUntilExit(workDir, JAR,
                    List.of("explain", "tmMissing"), env, 120);

            assertThat(explain.exitCode()).as(explain.output()).isEqualTo(1);
            assertThat(explain.output().lines()).containsExactly("explain: TM tmMissing could not be explained:"
                    + " translation memory tmMissing does not exist or this user cannot see it"
                    + " (HTTP 404 on GET /api2/v1/transMemories/tmMissing)");
            assertThat(phrase.server().getAllServeEvents()).as("asked live").isNotEmpty();
        }
        assertThat(workDir.resolve("state")).as("no journal written").doesNotExist();
    }
}
