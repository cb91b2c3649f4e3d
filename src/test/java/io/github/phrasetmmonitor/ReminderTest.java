package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** alert.repeat-interval: an unresolved failure is sent again once per interval, marked, until it is resolved. */
class ReminderTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-7", "TMX broken"));
    }

    @Test
    void anUnresolvedFailureIsRemindedOncePerIntervalUntilResolved() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tmFailed");
        settings.put("alert.repeat-interval", "3s");

        try (RunningMonitor first = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 1);
        }
        // the reminder schedule survives a restart: the first alert's time is in the state
        try (RunningMonitor second = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 2 && bed.smtp().getReceivedMessages().length == 2);
            assertThat(bed.slack().posts().get(1)).contains("Reminder", "task-7", "Glossary EN-DE");
            assertThat(bed.smtp().getReceivedMessages()[1].getSubject())
                    .isEqualTo("[Phrase TM] Reminder: IMPORT_TMX failed: Glossary EN-DE");
            assertThat(Mails.text(bed.smtp().getReceivedMessages()[1])).contains("still unresolved");

            bed.phrase().lastTask("tmFailed", ok("task-8"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().stream()
                    .anyMatch(post -> post.contains("Resolved")) && Arrays.stream(bed.smtp().getReceivedMessages())
                    .anyMatch(mail -> subject(mail).startsWith("[Phrase TM] Resolved")));
            int posts = bed.slack().posts().size();
            int mails = bed.smtp().getReceivedMessages().length;
            assertThat(second.awaitRounds(5, 30)).isTrue();
            assertThat(bed.slack().posts()).as("no reminder after the resolution").hasSize(posts);
            assertThat(bed.smtp().getReceivedMessages()).hasSize(mails);
        }
        long reminders = bed.slack().posts().stream().filter(post -> post.contains("Reminder")).count();
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
