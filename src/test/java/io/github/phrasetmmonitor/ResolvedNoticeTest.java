package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static io.github.phrasetmmonitor.support.PhraseDocuments.withWarnings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.StateFile;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failure followed by a task that succeeded: one resolved notice on each channel that got the failure. */
class ResolvedNoticeTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-7", "TMX broken"));
    }

    private Map<String, String> settings() {
        return bed.settingsWatching("tmFailed");
    }

    @Test
    void aFailureThenASuccessGiveOneAlertAndOneResolvedNoticePerChannelAcrossARestart() throws Exception {
        try (RunningMonitor first = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 1);
        }
        bed.phrase().lastTask("tmFailed", ok("task-8"));

        try (RunningMonitor second = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 2 && bed.smtp().getReceivedMessages().length == 2);
            assertThat(second.awaitRounds(3, 30)).isTrue();
        }

        assertThat(bed.slack().posts()).hasSize(2);
        assertThat(bed.slack().posts().get(1)).contains("Resolved", "Glossary EN-DE", "tmFailed", "task-7", "task-8");
        MimeMessage[] mails = bed.smtp().getReceivedMessages();
        assertThat(mails).hasSize(2);
        assertThat(mails[1].getSubject()).isEqualTo("[Phrase TM] Resolved: Glossary EN-DE");
        assertThat(Mails.text(mails[1])).contains("tmFailed", "task-7", "task-8");
        assertThat(Mails.html(mails[1])).contains("task-7", "task-8");
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).as("the failure is closed").isEmpty();
    }

    @Test
    void theResolvedNoticeGoesOnlyToTheChannelsThatGotTheFailure() throws Exception {
        bed.slack().answerWith(500);
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.smtp().getReceivedMessages().length == 1);
            bed.phrase().lastTask("tmFailed", withWarnings("task-8"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.smtp().getReceivedMessages().length == 2);
            bed.slack().answerWith(200);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
        }

        assertThat(bed.slack().posts()).as("Slack never took the failure, so it gets no resolved notice").isEmpty();
        assertThat(bed.smtp().getReceivedMessages()[1].getSubject()).startsWith("[Phrase TM] Resolved:");
        assertThat(bed.smtp().getReceivedMessages()).hasSize(2);
    }

    @Test
    void noResolvedNoticeWhenSendResolvedIsOff() throws Exception {
        Map<String, String> settings = settings();
        settings.put("alert.send-resolved", "false");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 1);
            bed.phrase().lastTask("tmFailed", ok("task-8"));
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
        }

        assertThat(bed.slack().posts()).hasSize(1);
        assertThat(bed.smtp().getReceivedMessages()).hasSize(1);
    }
}
