package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.phrasetmmonitor.health.DeadManSwitch;
import io.github.phrasetmmonitor.health.MonitorHealth;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.ManualClock;
import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The email channel recipient by recipient, the way route {@code send-email-smtp} drives it, against the outcomes
 * JavaMail reports with {@code mail.smtp.sendpartial}: who took a notice is recorded, an address refused for good is
 * one monitor problem however many notices there are, and one refused for now fails the delivery for a retry.
 */
class EmailRecipientsUnitTest {

    private static final String OPS = "ops@example.com";
    private static final String TYPO = "typo@unknown-domain.invalid";
    private static final String LEAD = "lead@example.com";
    private static final String UNKNOWN_USER = "550 5.1.1 <" + TYPO + ">: Recipient address rejected: User unknown";
    private static final Routing TEAM = new Routing(List.of("email"),
            Map.of("slack", "default", "email", String.join(",", OPS, TYPO, LEAD)));

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-06T07:00:00Z"));
    private final CamelContext camel = new DefaultCamelContext();
    private final RefusedRecipients refused = new RefusedRecipients();
    private IncidentState state;
    private AlertPlanner planner;
    private MonitorProblems problems;
    private EmailChannel email;
    private EmailRecipients recipients;

    @BeforeEach
    void start() {
        state = new IncidentState(dir.resolve(IncidentState.JOURNAL), clock, true,
                Map.of("slack", "default", "email", OPS));
        state.start();
        email = new EmailChannel(OPS, refused, new TemporaryRefusals(Duration.ofMinutes(1), clock));
        // a threshold above the storm: one notice per incident, the worst case for a refused address
        planner = new AlertPlanner(state, Map.of("slack", new SlackChannel(), "email", email), Optional.empty(),
                Duration.ZERO, 1_000_000, RoundUnderWay.NONE);
        problems = new MonitorProblems(state, new MonitorHealth(clock, new DeadManSwitch(Optional.empty(),
                "0 0/5 * * * ?")), clock, 3, "login as user 'ops-bot'", uid -> null, () -> 0);
        recipients = new EmailRecipients(planner, email, refused, problems);
    }

    @AfterEach
    void stop() {
        state.stop();
    }

    private static FailureFacts facts(String tm) {
        return new FailureFacts("Name " + tm, tm, "task-" + tm, "IMPORT_TMX", null, "ERROR", "X", "broken",
                List.of(), null);
    }

    private Exchange delivering(Notice notice) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setVariable("notice", notice);
        return exchange;
    }

    private static List<String> to(Exchange exchange) {
        return Arrays.asList(exchange.getMessage().getHeader("To", String.class).split(","));
    }

    private static Address[] addresses(List<String> addresses) {
        return addresses.stream().map(address -> {
            try {
                return new InternetAddress(address);
            } catch (jakarta.mail.internet.AddressException e) {
                throw new IllegalArgumentException(e);
            }
        }).toArray(Address[]::new);
    }

    /**
     * What JavaMail throws with sendpartial when the server took the message for some recipients and refused the
     * others: the refusals chained, the addresses sorted into sent, unsent (4xx) and invalid (5xx).
     */
    private static SMTPSendFailedException partly(List<String> took, Map<String, String> refusals) throws Exception {
        SMTPAddressFailedException first = null;
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            int code = Integer.parseInt(refusal.getValue().substring(0, 3));
            SMTPAddressFailedException failed = new SMTPAddressFailedException(new InternetAddress(refusal.getKey()),
                    "RCPT TO:<" + refusal.getKey() + ">", code, refusal.getValue());
            if (first == null) {
                first = failed;
            } else {
                first.setNextException(failed);
            }
        }
        List<String> forNow = refusals.entrySet().stream().filter(entry -> entry.getValue().startsWith("4"))
                .map(Map.Entry::getKey).toList();
        List<String> forGood = refusals.entrySet().stream().filter(entry -> entry.getValue().startsWith("5"))
                .map(Map.Entry::getKey).toList();
        return new SMTPSendFailedException(".", 250, "250 2.0.0 OK queued", first,
                took.isEmpty() ? null : addresses(took), addresses(forNow), addresses(forGood));
    }

    /** The route's doCatch: the bean sees the exception as Camel caught it. */
    private void refusedWith(Exception failure, Notice notice, Exchange exchange) throws Exception {
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        recipients.refused(notice, exchange);
    }

    @Test
    void aStormOfTenThousandNoticesAndOneBadAddressIsOneRefusalAndOneProblem() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            state.failed(facts("tm" + i), TEAM);
        }
        int addressedToTypo = 0;
        for (Notice notice : planner.announcements("email")) {
            Exchange exchange = delivering(notice);
            recipients.address(notice, exchange);
            if (to(exchange).contains(TYPO)) {
                addressedToTypo++;
                refusedWith(partly(List.of(OPS, LEAD), Map.of(TYPO, UNKNOWN_USER)), notice, exchange);
                assertThat(exchange.getVariable(EmailRecipients.OUTCOME, String.class))
                        .startsWith(" to 2 of 3 recipients; refused for good: " + TYPO + " (550 5.1.1");
                assertThat(exchange.getProperty(Exchange.EXCEPTION_CAUGHT)).as("delivered: no failure left").isNull();
            } else {
                assertThat(to(exchange)).containsExactly(OPS, LEAD);
                recipients.sent(notice, exchange);
            }
            planner.delivered(notice);
        }

        assertThat(addressedToTypo).as("the first notice learns it; the others leave it out").isEqualTo(1);
        assertThat(problems.open()).containsExactly(MonitorProblems.RECIPIENT_REFUSED + TYPO);
        Incident problem = state.unrouted().get(0);
        assertThat(problem.problem().lastError()).isEqualTo(UNKNOWN_USER);
        assertThat(problem.problem().subject()).isEqualTo("email recipient " + TYPO);
        assertThat(planner.announcements("email")).as("every alert delivered to the others").isEmpty();
    }

    @Test
    void anAddressRefusedForNowHoldsTheNoticeBackForMinutesThenItGoesOnlyToIt() throws Exception {
        state.failed(facts("a"), TEAM);
        Notice notice = planner.announcements("email").get(0);
        Exchange exchange = delivering(notice);
        recipients.address(notice, exchange);

        assertThatThrownBy(() -> refusedWith(partly(List.of(OPS, TYPO), Map.of(LEAD, "451 4.2.1 Mailbox busy")),
                notice, exchange))
                .isInstanceOfSatisfying(AlertDeliveryException.class, failure -> {
                    assertThat(email.verdict(failure)).as("not a second later, within the round")
                            .isEqualTo(AlertChannel.Verdict.FINAL);
                    assertThat(failure).hasMessage("sent to 2 of 3 recipients; refused for now: " + LEAD
                            + " (451 4.2.1 Mailbox busy)");
                });
        assertThat(state.find("a", "task-a").orElseThrow().took("email", Incident.Stage.ALERT))
                .as("recorded at once, for later rounds and restarts").containsExactlyInAnyOrder(OPS, TYPO);

        assertThat(planner.notHeldBack(notice)).isFalse();
        assertThat(planner.afterFailure(notice)).isEqualTo("tried again at the first round after"
                + " 2024-05-06T07:01:00Z (refused for now: the wait doubles with each refusal, up to 30 min)");
        clock.advance(Duration.ofMinutes(1));
        assertThat(planner.notHeldBack(notice)).isTrue();
        recipients.address(notice, exchange); // the next attempt, a minute later
        assertThat(to(exchange)).containsExactly(LEAD);
        recipients.sent(notice, exchange);
        assertThat(exchange.getVariable(EmailRecipients.OUTCOME, String.class)).isEmpty();
        assertThat(problems.open()).isEmpty();
    }

    @Test
    void aRelayRefusalOfEveryRecipientIsOneProblemLeavesNobodyOutAndTheNextRoundDelivers() throws Exception {
        state.failed(facts("a"), TEAM);
        state.failed(facts("b"), TEAM);
        for (Notice notice : planner.announcements("email")) {
            Exchange exchange = delivering(notice);
            recipients.address(notice, exchange);
            // JavaMail with sendpartial when the server takes no address at all
            Map<String, String> everyone = Map.of(OPS, withAddress(OPS), TYPO, withAddress(TYPO),
                    LEAD, withAddress(LEAD));
            assertThatThrownBy(() -> refusedWith(partly(List.of(), everyone), notice, exchange))
                    .isInstanceOfSatisfying(AlertDeliveryException.class, failure -> {
                        assertThat(email.verdict(failure)).as("not within the round: it would not pass")
                                .isEqualTo(AlertChannel.Verdict.FINAL);
                        assertThat(failure.getMessage()).startsWith("no recipient took it; the server refused the"
                                + " monitor, not the address, for ").contains("Relay access denied",
                                "Postfix mynetworks", "nobody is left out (monitor problem email-refused)")
                                .doesNotContain("refused for good");
                    });
        }

        assertThat(problems.open()).as("one problem about the server, none per address")
                .containsExactly(MonitorProblems.EMAIL_REFUSED);
        Incident problem = state.unrouted().get(0);
        assertThat(problem.problem().subject()).isEqualTo("email delivery");
        assertThat(problem.problem().what()).contains("relaying", "alert.email.username");
        assertThat(List.of(OPS, TYPO, LEAD)).allSatisfy(address -> assertThat(refused.isRefused(address)).isFalse());

        // the server allows the monitor now: the next round's notices go to everyone
        List<Notice> nextRound = planner.announcements("email");
        assertThat(nextRound).hasSize(2);
        for (Notice notice : nextRound) {
            Exchange exchange = delivering(notice);
            recipients.address(notice, exchange);
            assertThat(to(exchange)).containsExactly(OPS, TYPO, LEAD);
            recipients.sent(notice, exchange);
            planner.delivered(notice);
        }
        assertThat(problems.open()).isEmpty();
        assertThat(planner.announcements("email")).isEmpty();
    }

    @Test
    void aHeloRefusedAtRcptTimeNamesTheHeloSettingAndLeavesTheOthersWithTheirCopy() throws Exception {
        state.failed(facts("a"), TEAM);
        Notice notice = planner.announcements("email").get(0);
        Exchange exchange = delivering(notice);
        recipients.address(notice, exchange);
        String helo = "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname";

        assertThatThrownBy(() -> refusedWith(partly(List.of(OPS), Map.of(TYPO, helo, LEAD, helo)), notice, exchange))
                .isInstanceOfSatisfying(AlertDeliveryException.class, failure -> assertThat(failure.getMessage())
                        .startsWith("sent to 1 of 3 recipients; the server refused the monitor").contains(
                                "alert.email.helo-name"));
        assertThat(problems.open()).containsExactly(MonitorProblems.EMAIL_REFUSED);
        assertThat(state.unrouted().get(0).problem().lastError()).isEqualTo(helo);

        // the next round: only the two who lack it, and the wording counts the one who has it
        Notice later = planner.announcements("email").get(0);
        Exchange again = delivering(later);
        recipients.address(later, again);
        assertThat(to(again)).containsExactlyInAnyOrder(TYPO, LEAD);
        assertThatThrownBy(() -> refusedWith(partly(List.of(), Map.of(TYPO, helo, LEAD, helo)), later, again))
                .hasMessageStartingWith("no more recipients took it (1 of 3 have it)");
        recipients.address(later, again);
        recipients.sent(later, again);
        assertThat(again.getVariable(EmailRecipients.OUTCOME, String.class)).isEmpty();
        assertThat(problems.open()).isEmpty();
    }

    private static String withAddress(String address) {
        return "554 5.7.1 <" + address + ">: Relay access denied";
    }

    @Test
    void whenEveryRecipientIsRefusedForGoodTheDeliveryFailsAndNoAttemptIsLeft() throws Exception {
        state.failed(facts("a"), new Routing(List.of("email"), Map.of("slack", "default", "email", TYPO)));
        Notice notice = planner.announcements("email").get(0);
        Exchange exchange = delivering(notice);
        recipients.address(notice, exchange);
        // JavaMail with sendpartial and no valid address at all
        jakarta.mail.SendFailedException none = new jakarta.mail.SendFailedException("Invalid Addresses",
                new SMTPAddressFailedException(new InternetAddress(TYPO), "RCPT TO:<" + TYPO + ">", 550,
                        "550 5.1.1 No such user"), null, null, addresses(List.of(TYPO)));

        assertThatThrownBy(() -> refusedWith(none, notice, exchange))
                .isInstanceOfSatisfying(AlertDeliveryException.class, failure -> {
                    assertThat(email.verdict(failure)).isEqualTo(AlertChannel.Verdict.FINAL);
                    assertThat(failure.getMessage()).startsWith("no recipient took it; refused for good: " + TYPO
                            + " (550 5.1.1 No such user)");
                });
        assertThat(planner.announcements("email")).isEmpty();
        assertThatThrownBy(() -> recipients.address(notice, exchange)).isInstanceOf(AlertDeliveryException.class)
                .hasMessageContaining("no recipient left");
    }

    @Test
    void aRefusalThatIsNotAboutRecipientsIsThrownOnAsItCame() throws Exception {
        state.failed(facts("a"), TEAM);
        Notice notice = planner.announcements("email").get(0);
        Exchange exchange = delivering(notice);
        SMTPSenderFailedException sender = new SMTPSenderFailedException(new InternetAddress("monitor@example.com"),
                "MAIL FROM", 553, "553 5.7.1 <monitor@example.com>: Sender address rejected: not owned by user");

        assertThatThrownBy(() -> refusedWith(sender, notice, exchange)).isSameAs(sender);
        assertThat(problems.open()).as("the sender refused is about the settings: one problem")
                .containsExactly(MonitorProblems.EMAIL_REFUSED);
        assertThat(state.unrouted().get(0).problem().what()).contains("alert.email.from");
    }

    @Test
    void aRefusedAddressThatTakesAMessageAgainEndsItsProblem() throws Exception {
        problems.recipientRefused(TYPO, UNKNOWN_USER);
        assertThat(problems.open()).containsExactly(MonitorProblems.RECIPIENT_REFUSED + TYPO);

        problems.recipientAccepted(TYPO);

        assertThat(problems.open()).isEmpty();
    }
}
