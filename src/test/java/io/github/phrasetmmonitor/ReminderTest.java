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
import io.github.phrasetmmonitor.support.SlackRecorder;
import java.nio.file.Path;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** alert.repeat-interval: an unresolved failure is sent again once per interval, marked, until it is resolved. */
class ReminderTest {

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

    @Test
    void anUnresolvedFailureIsRemindedOncePerIntervalUntilResolved() throws Exception {
        Map<String, String> settings = RunningMonitor.settings(phrase.baseUrl(), slack, smtp.getSmtp().getPort(), stateDir);
        settings.put("monitor.tm-uids", "tmFailed");
        settings.put("alert.repeat-interval", "3s");

        try (RunningMonitor first = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> slack.posts().size() == 1 && smtp.getReceivedMessages().length == 1);
        }
        // the reminder schedule survives a restart: the first alert's time is in the state
        try (RunningMonitor second = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> slack.posts().size() == 2 && smtp.getReceivedMessages().length == 2);
            assertThat(slack.posts().get(1)).contains("Reminder", "task-7", "Glossary EN-DE");
            assertThat(smtp.getReceivedMessages()[1].getSubject())
                    .isEqualTo("[Phrase TM] Reminder: IMPORT_TMX failed: Glossary EN-DE");
            assertThat(Mails.text(smtp.getReceivedMessages()[1])).contains("still unresolved");

            phrase.lastTask("tmFailed", ok("task-8"));
            await().atMost(Duration.ofSeconds(20)).until(() -> slack.posts().stream()
                    .anyMatch(post -> post.contains("Resolved")) && Arrays.stream(smtp.getReceivedMessages())
                    .anyMatch(mail -> subject(mail).startsWith("[Phrase TM] Resolved")));
            int posts = slack.posts().size();
            int mails = smtp.getReceivedMessages().length;
            assertThat(second.awaitRounds(5, 30)).isTrue();
            assertThat(slack.posts()).as("no reminder after the resolution").hasSize(posts);
            assertThat(smtp.getReceivedMessages()).hasSize(mails);
        }
        long reminders = slack.posts().stream().filter(post -> post.contains("Reminder")).count();
        assertThat(reminders).isBetween(1L, 3L);
    }

    private static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
