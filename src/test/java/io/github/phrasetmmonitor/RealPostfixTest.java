package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PostfixServer;
import io.github.phrasetmmonitor.support.RunningMonitor;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The monitor's mail against a real Postfix, configured as mail admins do: a server that refuses to relay for the
 * monitor is one problem about the server (no address is blamed or left out) and the mail goes out on the round after
 * the admin allows it; a server that checks the EHLO name takes the monitor's mail. Postfix relays what it takes to
 * the test bed's GreenMail; its own log says, per recipient, what it did.
 */
class RealPostfixTest {

    private static final String OPS = "ops@example.com";
    private static final String LEAD = "lead@example.org";
    private static final String ALERT_SUBJECT = "[Phrase TM] IMPORT_TMX failed: Glossary EN-DE";
    /** A network the monitor (on 127.0.0.1) is not in: Postfix refuses to relay for it. */
    private static final String ELSEWHERE = "198.51.100.0/24";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        PostfixServer.assumeInstalled();
        bed.phrase().loginIssues("token-1")
                .translationMemory("tm1", "Glossary EN-DE")
                .lastTask("tm1", failed("task-1", "TMX broken"));
    }

    private Map<String, String> emailVia(PostfixServer postfix) {
        Map<String, String> settings = bed.settingsWatching("tm1", postfix.port());
        settings.put("alert.channels", "email");
        settings.put("alert.email.to", OPS + ", " + LEAD);
        // alert.email.helo-name is left to its default: this machine's name, as a user would leave it
        settings.put("monitor.problem-check-interval", "300ms");
        return settings;
    }

    private List<MimeMessage> alertsRelayed() {
        return Arrays.stream(bed.smtp().getReceivedMessages())
                .filter(message -> ALERT_SUBJECT.equals(MonitorTestBed.subject(message))).toList();
    }

    /** Postfix's own word: it relayed a message to this recipient. */
    private static long relayedTo(PostfixServer postfix, String recipient) {
        return Pattern.compile("to=<" + Pattern.quote(recipient) + ">,.*status=sent").matcher(postfix.log())
                .results().count();
    }

    @Test
    void aRelayRefusalIsOneServerProblemAndTheRoundAfterItIsLiftedDelivers() throws Exception {
        try (PostfixServer postfix = PostfixServer.start(bed.smtp().getSmtp().getPort(),
                Map.of("mynetworks", ELSEWHERE));
             LogCapture logs = LogCapture.attach();
             RunningMonitor monitor = RunningMonitor.start(emailVia(postfix))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !logs.linesContaining(
                    "Monitor problem email-refused:").isEmpty());
            assertThat(monitor.awaitRounds(3, 60)).isTrue();

            assertThat(logs.linesContaining("Monitor problem email-refused:")).as("one problem, however many"
                    + " recipients and rounds").singleElement().asString()
                    .contains("email delivery", "relaying", "Relay access denied");
            assertThat(logs.linesContaining("email-recipient-refused")).as("no address is blamed").isEmpty();
            assertThat(logs.linesContaining("refused for good")).isEmpty();
            assertThat(logs.linesContaining("email alert for TM tm1 task task-1 not delivered")).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("no recipient took it",
                            "the server refused the monitor, not the address", "tried again at the next round"));
            assertThat(bed.smtp().getReceivedMessages()).isEmpty();

            // the admin lets the monitor's network relay
            postfix.change(Map.of("mynetworks", "127.0.0.0/8"));
            int roundsBefore = logs.linesContaining("email alert for TM tm1 task task-1 not delivered").size();
            await().atMost(Duration.ofSeconds(30)).until(() -> relayedTo(postfix, OPS) >= 1
                    && relayedTo(postfix, LEAD) >= 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> alertsRelayed().size() == 2);
            // Postfix relays the message while the monitor still ends its SMTP session and records the delivery
            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.linesContaining(
                    "Email alert for TM tm1 task task-1 sent").isEmpty());
            assertThat(logs.linesContaining("Email alert for TM tm1 task task-1 sent")).singleElement().asString()
                    .doesNotContain(" of ");
            assertThat(logs.linesContaining("email alert for TM tm1 task task-1 not delivered").size())
                    .as("delivered at the first attempt after the change, give or take the round under way")
                    .isLessThanOrEqualTo(roundsBefore + 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.linesContaining(
                    "Monitor problem email-refused is over").isEmpty());
            assertThat(monitor.awaitRounds(2, 60)).isTrue();
            assertThat(relayedTo(postfix, OPS)).as("the alert once, the problem and its recovery").isLessThanOrEqualTo(3);
            assertThat(alertsRelayed()).hasSize(2);
        }
    }

    @Test
    void aServerThatChecksTheHeloNameTakesTheMonitorsMail() throws Exception {
        try (PostfixServer postfix = PostfixServer.start(bed.smtp().getSmtp().getPort(), Map.of(
                "smtpd_helo_required", "yes",
                "smtpd_helo_restrictions", "reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname"));
             LogCapture logs = LogCapture.attach();
             RunningMonitor monitor = RunningMonitor.start(emailVia(postfix))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> alertsRelayed().size() == 2);
            // Postfix logs "status=sent" once the relay acknowledged the message, which may be after GreenMail has it
            await().atMost(Duration.ofSeconds(20)).until(() -> relayedTo(postfix, OPS) + relayedTo(postfix, LEAD) >= 2);

            assertThat(relayedTo(postfix, OPS)).isEqualTo(1);
            assertThat(relayedTo(postfix, LEAD)).isEqualTo(1);
            assertThat(postfix.log()).doesNotContain("Helo command rejected");
            assertThat(logs.linesContaining("Monitor problem")).isEmpty();
            // Postfix writes the EHLO name into its Received: line: "from <helo> (<name> [127.0.0.1])"
            String received = alertsRelayed().get(0).getHeader("Received")[0];
            assertThat(received).doesNotStartWith("from localhost ");
        }
    }
}
