package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.alert.NoticeMailSender;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.ScriptedSmtpServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One address of a list that the SMTP server refuses does not silence the others: the message goes to every
 * recipient the server takes, each gets it once, over rounds and restarts, and the refused address is named.
 */
class EmailRecipientsTest {

    private static final String OPS = "ops@example.com";
    private static final String TYPO = "typo@unknown-domain.invalid";
    private static final String LEAD = "lead@example.com";
    private static final String ALERT_SUBJECT = "[Phrase TM] IMPORT_TMX failed: Glossary EN-DE";
    private static final String PROBLEM_SUBJECT = "[Phrase TM] Monitor problem: email recipient " + TYPO;

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tm1", "Glossary EN-DE")
                .lastTask("tm1", failed("task-1", "TMX broken"));
    }

    private Map<String, String> emailTo(String recipients, int smtpPort) {
        Map<String, String> settings = bed.settingsWatching("tm1", smtpPort);
        settings.put("alert.channels", "email");
        settings.put("alert.email.to", recipients);
        // the refused address is a monitor problem, told at the next problem check: soon, for the test
        settings.put("monitor.problem-check-interval", "300ms");
        return settings;
    }

    /** How many messages with this subject the server took for this recipient. */
    private static long received(ScriptedSmtpServer server, String recipient, String subject) {
        return server.deliveries().stream().filter(delivery -> delivery.recipients().contains(recipient)
                && subject.equals(MonitorTestBed.subject(delivery.message()))).count();
    }

    @Test
    void anAddressRefusedForGoodIsNamedOnceAndTheOthersGetTheAlertOnceAcrossRoundsAndARestart() throws Exception {
        try (ScriptedSmtpServer mail = new ScriptedSmtpServer(0, "unused")
                .refuseRecipient(TYPO, -1, "550 5.1.1 <" + TYPO + ">: Recipient address rejected: User unknown");
             LogCapture logs = LogCapture.attach()) {
            Map<String, String> settings = emailTo(OPS + ", " + TYPO + ", " + LEAD, mail.port());
            settings.put("alert.delivery.retries", "2");
            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> received(mail, OPS, PROBLEM_SUBJECT) == 1);
                assertThat(monitor.awaitRounds(5, 60)).isTrue();
            }
            for (String recipient : List.of(OPS, LEAD)) {
                assertThat(received(mail, recipient, ALERT_SUBJECT)).as("the alert to " + recipient).isEqualTo(1);
                assertThat(received(mail, recipient, PROBLEM_SUBJECT)).as("the problem to " + recipient)
                        .isEqualTo(1);
            }
            assertThat(mail.rcptAttempts(TYPO)).as("refused once, then left out").isEqualTo(1);
            assertThat(mail.deliveries()).hasSize(2);
            assertThat(logs.linesContaining(TYPO + " (550 5.1.1")).singleElement().asString()
                    .startsWith("INFO")
                    .contains("Email alert for TM tm1 task task-1 sent to 2 of 3 recipients", "refused for good",
                            "User unknown", "left out until the settings change or the monitor restarts",
                            "email-recipient-refused:" + TYPO);
            assertThat(logs.linesContaining("Monitor problem email-recipient-refused:" + TYPO + ":")).hasSize(1);
            assertThat(logs.linesContaining("not delivered")).isEmpty();

            try (RunningMonitor restarted = RunningMonitor.start(settings)) {
                assertThat(restarted.awaitRounds(3, 60)).isTrue();
            }
            assertThat(mail.deliveries()).as("nothing again to those who have it").hasSize(2);
            assertThat(mail.rcptAttempts(TYPO)).as("nothing was due to it either").isEqualTo(1);
        }
    }

    @Test
    void anAddressRefusedForNowGetsTheAlertLaterAndTheOthersOnlyOnce() throws Exception {
        // refused twice: each time the notice waits (1 s, then 2 s here; minutes by default), no retry in the round
        try (ScriptedSmtpServer mail = new ScriptedSmtpServer(0, "unused")
                .refuseRecipient(LEAD, 2, "451 4.2.1 Mailbox busy, try again later");
             LogCapture logs = LogCapture.attach()) {
            Map<String, String> settings = emailTo(OPS + ", " + LEAD, mail.port());
            settings.put("alert.delivery.retries", "1");
            settings.put("alert.email.temporary-refusal-wait", "1s");
            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> received(mail, LEAD, ALERT_SUBJECT) == 1);
                assertThat(monitor.awaitRounds(3, 60)).isTrue();
            }
            assertThat(received(mail, OPS, ALERT_SUBJECT)).as("the others are not sent it again").isEqualTo(1);
            assertThat(received(mail, LEAD, ALERT_SUBJECT)).isEqualTo(1);
            assertThat(mail.rcptAttempts(OPS)).isEqualTo(1);
            assertThat(mail.rcptAttempts(LEAD)).as("two refusals, then taken").isEqualTo(3);
            List<String> notDelivered = logs.linesContaining("email alert for TM tm1 task task-1 not delivered");
            assertThat(notDelivered).as("one line per refusal: no retry within the round").hasSize(2)
                    .allSatisfy(line -> assertThat(line).contains("refused for now: " + LEAD,
                            "451 4.2.1 Mailbox busy", "tried again at the first round after",
                            "the wait doubles with each refusal"));
            assertThat(notDelivered.get(0)).contains("sent to 1 of 2 recipients");
            assertThat(notDelivered.get(1)).as("the words count the one who has it").contains(
                    "no more recipients took it (1 of 2 have it)");
            assertThat(logs.linesContaining("Monitor problem")).as("a refusal for now is no problem").isEmpty();

            // the late copy is the same message: its Message-ID, and a To: naming both, as the first copy's
            List<ScriptedSmtpServer.Delivery> copies = mail.deliveries().stream()
                    .filter(delivery -> ALERT_SUBJECT.equals(MonitorTestBed.subject(delivery.message()))).toList();
            assertThat(copies).extracting(ScriptedSmtpServer.Delivery::recipients)
                    .containsExactly(List.of(OPS), List.of(LEAD));
            MimeMessage first = copies.get(0).message();
            MimeMessage late = copies.get(1).message();
            assertThat(late.getMessageID()).isNotBlank().isEqualTo(first.getMessageID()).endsWith("@example.com>");
            for (MimeMessage copy : List.of(first, late)) {
                assertThat(copy.getHeader("To", ",")).isEqualTo(OPS + ", " + LEAD);
                assertThat(copy.getHeader("Auto-Submitted", ",")).isEqualTo("auto-generated");
                assertThat(copy.getHeader(NoticeMailSender.EVERYONE)).as("not sent").isNull();
            }
        }
    }
}
