package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.SlackRecorder;
import io.github.phrasetmmonitor.support.StateFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** "Once, and nothing lost": dedupe across restarts, and a delivery that failed is sent on a later round. */
class AlertOnceTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path stateDir;

    PhraseApiStub phrase;
    SlackRecorder slack;

    @BeforeEach
    void stubs() throws Exception {
        phrase = new PhraseApiStub().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-7", "TMX broken"))
                .translationMemory("tmOk", "Marketing EN-DE")
                .lastTask("tmOk", ok("task-8"));
        slack = new SlackRecorder();
    }

    @AfterEach
    void stop() {
        phrase.close();
        slack.close();
    }

    private Map<String, String> settings() {
        Map<String, String> settings = RunningMonitor.settings(phrase.baseUrl(), slack, smtp.getSmtp().getPort(), stateDir);
        settings.put("monitor.tm-uids", "tmFailed,tmOk");
        return settings;
    }

    @Test
    void aRestartWithTheSameStateDirSendsNothingAgain() throws Exception {
        try (RunningMonitor first = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> slack.posts().size() == 1 && smtp.getReceivedMessages().length == 1);
        }
        assertThat(StateFile.deliveredAlerts(stateDir)).contains("slack:tmFailed:task-7", "email:tmFailed:task-7");
        assertThat(Files.readString(StateFile.journal(stateDir))).doesNotContain("s3cret", "token-1", slack.webhookUrl());

        try (RunningMonitor second = RunningMonitor.start(settings())) {
            assertThat(second.awaitRounds(3, 30)).isTrue();
            assertThat(slack.posts()).hasSize(1);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
        }
    }

    @Test
    void anAlertSlackRefusedIsSentOnALaterRoundAndEmailIsNotHeldBack() throws Exception {
        slack.answerWith(500);
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(slack.attempts()).as("Slack was tried, with a retry").isGreaterThanOrEqualTo(2);
            assertThat(slack.posts()).isEmpty();
            assertThat(smtp.getReceivedMessages()).as("email does not wait for Slack").hasSize(1);
            assertThat(StateFile.deliveredAlerts(stateDir))
                    .contains("email:tmFailed:task-7")
                    .doesNotContain("slack:tmFailed:task-7");

            slack.answerWith(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> slack.posts().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(slack.posts()).hasSize(1);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
        }
    }

    @Test
    void anAlertNotDeliveredBeforeAStopIsSentAfterTheRestart() throws Exception {
        slack.answerWith(503);
        try (RunningMonitor first = RunningMonitor.start(settings())) {
            assertThat(first.awaitRounds(1, 30)).isTrue();
        }
        assertThat(slack.posts()).isEmpty();
        slack.answerWith(200);
        try (RunningMonitor second = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> slack.posts().size() == 1);
        }
    }

    /** Must hold: an unreadable state file costs one repeated alert per current failure, never a crash loop. */
    @Test
    void aStateFileThatCannotBeReadIsMovedAsideAndCurrentFailuresAreAlertedOnce() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(stateDir.resolve("alerts-sent.journal"), garbage);

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> slack.posts().size() == 1 && smtp.getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(slack.posts()).hasSize(1);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            assertThat(logs.linesContaining("cannot be read")).singleElement()
                    .satisfies(line -> assertThat(line).contains("moved it to alerts-sent.journal.unreadable-"));
        }
        try (var files = Files.list(stateDir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anySatisfy(name -> assertThat(name).startsWith("alerts-sent.journal.unreadable-"));
        }
        assertThat(StateFile.deliveredAlerts(stateDir)).contains("slack:tmFailed:task-7", "email:tmFailed:task-7");
    }
}
