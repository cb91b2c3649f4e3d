package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.StateFile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** "Once, and nothing lost": dedupe across restarts, and a delivery that failed is sent on a later round. */
class AlertOnceTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-7", "TMX broken"))
                .translationMemory("tmOk", "Marketing EN-DE")
                .lastTask("tmOk", ok("task-8"));
    }

    private Map<String, String> settings() {
        return bed.settingsWatching("tmFailed,tmOk");
    }

    @Test
    void aRestartWithTheSameStateDirSendsNothingAgain() throws Exception {
        try (RunningMonitor first = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 1);
        }
        assertThat(StateFile.deliveredAlerts(bed.stateDir()))
                .contains("slack:tmFailed:task-7", "email:tmFailed:task-7");
        assertThat(Files.readString(StateFile.journal(bed.stateDir())))
                .doesNotContain("s3cret", "token-1", bed.slack().webhookUrl());

        try (RunningMonitor second = RunningMonitor.start(settings())) {
            assertThat(second.awaitRounds(3, 30)).isTrue();
            assertThat(bed.slack().posts()).hasSize(1);
            assertThat(bed.smtp().getReceivedMessages()).hasSize(1);
        }
    }

    @Test
    void anAlertSlackRefusedIsSentOnALaterRoundAndEmailIsNotHeldBack() throws Exception {
        bed.slack().answerWith(500);
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            // Slack delivers on its own thread, apart from the rounds
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().attempts() >= 2);
            assertThat(bed.slack().attempts()).as("Slack was tried, with a retry").isGreaterThanOrEqualTo(2);
            // while Slack refuses every post, email arrives on its own thread
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.smtp().getReceivedMessages().length >= 1);
            assertThat(bed.slack().posts()).isEmpty();
            assertThat(bed.smtp().getReceivedMessages()).as("email does not wait for Slack").hasSize(1);
            assertThat(StateFile.deliveredAlerts(bed.stateDir()))
                    .contains("email:tmFailed:task-7")
                    .doesNotContain("slack:tmFailed:task-7");

            bed.slack().answerWith(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(bed.slack().posts()).hasSize(1);
            assertThat(bed.smtp().getReceivedMessages()).hasSize(1);
        }
    }

    @Test
    void anAlertNotDeliveredBeforeAStopIsSentAfterTheRestart() throws Exception {
        bed.slack().answerWith(503);
        try (RunningMonitor first = RunningMonitor.start(settings())) {
            assertThat(first.awaitRounds(1, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).isEmpty();
        bed.slack().answerWith(200);
        try (RunningMonitor second = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
        }
    }

    /** Must hold: an unreadable state file costs one repeated alert per current failure, never a crash loop. */
    @Test
    void aStateFileThatCannotBeReadIsMovedAsideAndCurrentFailuresAreAlertedOnce() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(StateFile.journal(bed.stateDir()), garbage);

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(bed.slack().posts()).hasSize(1);
            assertThat(bed.smtp().getReceivedMessages()).hasSize(1);
            assertThat(logs.linesContaining("cannot be read")).singleElement()
                    .satisfies(line -> assertThat(line).contains("moved it to incidents.journal.unreadable-"));
        }
        try (var files = Files.list(bed.stateDir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anySatisfy(name -> assertThat(name).startsWith("incidents.journal.unreadable-"));
        }
        assertThat(StateFile.deliveredAlerts(bed.stateDir()))
                .contains("slack:tmFailed:task-7", "email:tmFailed:task-7");
    }
}
