package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.ScriptedSmtpServer;
import io.github.phrasetmmonitor.support.StateFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** alert.fallback-channel: what a channel does not take goes out on the fallback, once; if all fail, it waits. */
class FallbackTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-7", "TMX broken"));
    }

    private Map<String, String> settings(int smtpPort) {
        Map<String, String> settings = bed.settingsWatching("tmFailed", smtpPort);
        settings.put("alert.channels", "slack");
        settings.put("alert.fallback-channel", "email");
        return settings;
    }

    @Test
    void withSlackAnswering500TheAlertArrivesByEmailOnceAndSoDoesItsResolution() throws Exception {
        bed.slack().answerWith(500);
        try (RunningMonitor monitor = RunningMonitor.start(settings(bed.smtp().getSmtp().getPort()))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.smtp().getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(bed.smtp().getReceivedMessages()).hasSize(1);
            assertThat(bed.slack().attempts()).as("Slack was tried first, with a retry").isGreaterThanOrEqualTo(2);
            assertThat(bed.smtp().getReceivedMessages()[0].getSubject())
                    .isEqualTo("[Phrase TM] IMPORT_TMX failed: Glossary EN-DE");
            assertThat(Mails.text(bed.smtp().getReceivedMessages()[0]))
                    .contains("could not be delivered on Slack", "task-7");
            assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactly("slack:tmFailed:task-7");

            bed.slack().answerWith(200);
            bed.phrase().lastTask("tmFailed", ok("task-8"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.smtp().getReceivedMessages().length == 2);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(bed.smtp().getReceivedMessages()[1].getSubject()).isEqualTo("[Phrase TM] Resolved: Glossary EN-DE");
        assertThat(bed.smtp().getReceivedMessages()).hasSize(2);
        assertThat(bed.slack().posts()).as("the alert went by email, so its resolution does too").isEmpty();
    }

    @Test
    void aFallbackChannelThatAlreadyHasTheAlertSendsNothingTwice() throws Exception {
        bed.slack().answerWith(500);
        Map<String, String> settings = settings(bed.smtp().getSmtp().getPort());
        settings.put("alert.channels", "slack,email");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.smtp().getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
        }
        assertThat(bed.smtp().getReceivedMessages()).hasSize(1);
        assertThat(Mails.text(bed.smtp().getReceivedMessages()[0])).doesNotContain("could not be delivered");
        assertThat(StateFile.deliveredAlerts(bed.stateDir()))
                .contains("slack:tmFailed:task-7", "email:tmFailed:task-7");
    }

    @Test
    void whenEveryChannelFailsTheAlertStaysPendingAndGoesOutAfterARestart() throws Exception {
        int smtpDown;
        try (ServerSocket free = new ServerSocket(0)) {
            smtpDown = free.getLocalPort();
        }
        bed.slack().answerWith(500);
        try (RunningMonitor first = RunningMonitor.start(settings(smtpDown))) {
            assertThat(first.awaitRounds(2, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).isEmpty();
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).as("not recorded as sent").isEmpty();
        assertThat(Files.readString(StateFile.journal(bed.stateDir()))).as("but kept as pending").contains("task-7");

        try (ScriptedSmtpServer mail = new ScriptedSmtpServer(smtpDown, 0, "");
             RunningMonitor second = RunningMonitor.start(settings(smtpDown))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.accepted().size() == 1);
            assertThat(second.awaitRounds(2, 30)).isTrue();
            assertThat(mail.accepted()).hasSize(1);
            assertThat(mail.accepted().get(0).getSubject()).isEqualTo("[Phrase TM] IMPORT_TMX failed: Glossary EN-DE");
        }
        assertThat(bed.slack().posts()).isEmpty();
    }
}
