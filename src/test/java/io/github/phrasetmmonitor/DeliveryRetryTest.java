package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.ScriptedSmtpServer;
import io.github.phrasetmmonitor.support.SlackRecorder;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries within a round: Slack 5xx and 429 (after its Retry-After), SMTP 4xx and lost connections; an SMTP 5xx is
 * final for the attempt and logged in the server's words.
 */
class DeliveryRetryTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-7", "TMX broken"));
    }

    private Map<String, String> emailOnly(int smtpPort) {
        Map<String, String> settings = bed.settingsWatching("tmFailed", smtpPort);
        settings.put("alert.channels", "email");
        settings.put("alert.delivery.retries", "2");
        return settings;
    }

    /** A 4xx waits alert.email.temporary-refusal-wait (1 min by default, doubling) before the next attempt. */
    private static Map<String, String> withShortWaits(Map<String, String> settings) {
        settings.put("alert.email.temporary-refusal-wait", "500ms");
        return settings;
    }

    @Test
    void withTheSmtpServerAnswering451TwiceTheEmailArrivesOnce() throws Exception {
        try (ScriptedSmtpServer mail = new ScriptedSmtpServer(2, "451 4.3.0 Try again later");
             RunningMonitor monitor = RunningMonitor.start(withShortWaits(emailOnly(mail.port())))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.accepted().size() == 1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();

            assertThat(mail.accepted()).hasSize(1);
            assertThat(mail.mailFromAttempts()).as("two refusals, then accepted").isEqualTo(3);
            assertThat(mail.accepted().get(0).getSubject()).isEqualTo("[Phrase TM] IMPORT_TMX failed: Glossary EN-DE");
            assertThat(mail.accepted().get(0).getAllRecipients()).extracting(Object::toString)
                    .containsExactly("l10n-ops@example.com");
            assertThat(Mails.text(mail.accepted().get(0))).contains("task-7");
        }
    }

    @Test
    void aPermanentSmtpRefusalIsNotRetriedWithinTheRoundAndIsLoggedInTheServersWords() throws Exception {
        try (LogCapture logs = LogCapture.attach();
             ScriptedSmtpServer mail = new ScriptedSmtpServer(-1, "550 5.7.1 Relaying denied for phrase-tm-monitor")) {
            try (RunningMonitor monitor = RunningMonitor.start(emailOnly(mail.port()))) {
                assertThat(monitor.awaitRounds(3, 30)).isTrue();
            }
            List<String> refused = logs.linesContaining("not delivered");
            assertThat(refused).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .contains("email alert for TM tmFailed task task-7",
                            "SMTP server answered 550 5.7.1 Relaying denied for phrase-tm-monitor")
                    .doesNotContain("\n"));
            assertThat(mail.mailFromAttempts()).as("one attempt per round, no retries").isEqualTo(refused.size());
            assertThat(mail.accepted()).isEmpty();
        }
    }

    @Test
    void anSmtpServerThatIsDownIsTriedAgainOnLaterRoundsUntilItTakesTheEmail() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(emailOnly(port))) {
            // delivery runs on email's own thread, apart from the rounds: wait for its first failed attempt
            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.linesContaining("not delivered").isEmpty());
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(logs.linesContaining("not delivered"))
                    .allSatisfy(line -> assertThat(line).contains("email alert for TM tmFailed"));
            try (ScriptedSmtpServer mail = new ScriptedSmtpServer(port, 0, "")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> mail.accepted().size() == 1);
                assertThat(monitor.awaitRounds(2, 30)).isTrue();
                assertThat(mail.accepted()).hasSize(1);
            }
        }
    }

    @Test
    void slackAnswering429IsRetriedAfterItsRetryAfter() throws Exception {
        bed.slack().answerNext(new SlackRecorder.Answer(429, "1"));
        Map<String, String> settings = bed.settingsWatching("tmFailed", 25);
        settings.put("alert.channels", "slack");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            // taken on the second attempt: one delivery, none failed (the first attempt's error is no failure of it)
            assertThat(Management.total(monitor.managementUrl(), "phrase_monitor_alerts_sent_total{channel=\"slack\""))
                    .isEqualTo(1.0);
            assertThat(Management.total(monitor.managementUrl(), "phrase_monitor_alerts_failed_total{channel=\"slack\""))
                    .isEqualTo(0.0);
        }
        List<Instant> attempts = bed.slack().attemptTimes();
        assertThat(attempts).hasSize(2);
        assertThat(Duration.between(attempts.get(0), attempts.get(1)))
                .as("waited as Retry-After said, not the 50 ms backoff").isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(bed.slack().posts()).hasSize(1);
    }
}
