package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.ScriptedSmtpServer;
import io.github.phrasetmmonitor.support.SlackRecorder;
import io.github.phrasetmmonitor.support.StateFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** alert.fallback-channel: what a channel does not take goes out on the fallback, once; if all fail, it waits. */
class FallbackTest {

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
                .lastTask("tmFailed", failed("task-7", "TMX broken"));
        slack = new SlackRecorder();
    }

    @AfterEach
    void stop() {
        phrase.close();
        slack.close();
    }

    private Map<String, String> settings(int smtpPort) {
        Map<String, String> settings = RunningMonitor.settings(phrase.baseUrl(), slack, smtpPort, stateDir);
        settings.put("monitor.tm-uids", "tmFailed");
        settings.put("alert.channels", "slack");
        settings.put("alert.fallback-channel", "email");
        return settings;
    }

    @Test
    void withSlackAnswering500TheAlertArrivesByEmailOnceAndSoDoesItsResolution() throws Exception {
        slack.answerWith(500);
        try (RunningMonitor monitor = RunningMonitor.start(settings(smtp.getSmtp().getPort()))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            assertThat(slack.attempts()).as("Slack was tried first, with a retry").isGreaterThanOrEqualTo(2);
            assertThat(smtp.getReceivedMessages()[0].getSubject())
                    .isEqualTo("[Phrase TM] IMPORT_TMX failed: Glossary EN-DE");
            assertThat(Mails.text(smtp.getReceivedMessages()[0]))
                    .contains("could not be delivered on Slack", "task-7");
            assertThat(StateFile.deliveredAlerts(stateDir)).containsExactly("slack:tmFailed:task-7");

            slack.answerWith(200);
            phrase.lastTask("tmFailed", ok("task-8"));
            await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length == 2);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(smtp.getReceivedMessages()[1].getSubject()).isEqualTo("[Phrase TM] Resolved: Glossary EN-DE");
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(slack.posts()).as("the alert went by email, so its resolution does too").isEmpty();
    }

    @Test
    void aFallbackChannelThatAlreadyHasTheAlertSendsNothingTwice() throws Exception {
        slack.answerWith(500);
        Map<String, String> settings = settings(smtp.getSmtp().getPort());
        settings.put("alert.channels", "slack,email");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
        }
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(Mails.text(smtp.getReceivedMessages()[0])).doesNotContain("could not be delivered");
        assertThat(StateFile.deliveredAlerts(stateDir)).contains("slack:tmFailed:task-7", "email:tmFailed:task-7");
    }

    @Test
    void whenEveryChannelFailsTheAlertStaysPendingAndGoesOutAfterARestart() throws Exception {
        int smtpDown;
        try (ServerSocket free = new ServerSocket(0)) {
            smtpDown = free.getLocalPort();
        }
        slack.answerWith(500);
        try (RunningMonitor first = RunningMonitor.start(settings(smtpDown))) {
            assertThat(first.awaitRounds(2, 30)).isTrue();
        }
        assertThat(slack.posts()).isEmpty();
        assertThat(StateFile.deliveredAlerts(stateDir)).as("not recorded as sent").isEmpty();
        assertThat(Files.readString(StateFile.journal(stateDir))).as("but kept as pending").contains("task-7");

        try (ScriptedSmtpServer mail = new ScriptedSmtpServer(smtpDown, 0, "");
             RunningMonitor second = RunningMonitor.start(settings(smtpDown))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.accepted().size() == 1);
            assertThat(second.awaitRounds(2, 30)).isTrue();
            assertThat(mail.accepted()).hasSize(1);
            assertThat(mail.accepted().get(0).getSubject()).isEqualTo("[Phrase TM] IMPORT_TMX failed: Glossary EN-DE");
        }
        assertThat(slack.posts()).isEmpty();
    }
}
