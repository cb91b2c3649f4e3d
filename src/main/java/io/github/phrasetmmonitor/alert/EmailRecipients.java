package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.text.SafeText;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Who gets an email notice, recipient by recipient (route {@code send-email-smtp}). JavaMail sends with
 * {@code mail.smtp.sendpartial}, so the message goes to every recipient the server takes, and names the others in a
 * {@link SendFailedException}. Then:
 * <ul>
 *   <li>those that took it are recorded ({@link AlertPlanner#partlyDelivered}): no later attempt, round, reminder or
 *   restart sends them a second copy of it;</li>
 *   <li>an address refused for good (5xx) is left out from then on ({@link RefusedRecipients}) and told once as the
 *   monitor problem {@code email-recipient-refused:<address>} with the server's answer;</li>
 *   <li>an address refused for now (4xx, and 552) is tried again like a lost connection: within the round, then
 *   later.</li>
 * </ul>
 * When everyone left has it, the notice counts as delivered, and the log line says to how many of its recipients.
 */
public final class EmailRecipients {

    /** Recipients that took the notice in an earlier attempt of this delivery. */
    static final String TOOK = "emailTook";
    /** How the delivery went, for the log line: empty, or " to 2 of 3 recipients; ..." */
    static final String OUTCOME = "emailOutcome";

    private final AlertPlanner plan;
    private final EmailChannel channel;
    private final RefusedRecipients refused;
    private final MonitorProblems problems;

    public EmailRecipients(AlertPlanner plan, EmailChannel channel, RefusedRecipients refused,
                           MonitorProblems problems) {
        this.plan = plan;
        this.channel = channel;
        this.refused = refused;
        this.problems = problems;
    }

    /**
     * Before each attempt: the message goes to the notice's recipients that have not taken it in an earlier attempt
     * and that the server has not refused for good.
     */
    public void address(@Variable("notice") Notice notice, Exchange exchange) {
        Set<String> took = took(exchange);
        List<String> to = channel.recipients(notice.destination()).stream()
                .filter(recipient -> !took.contains(recipient) && channel.reachable(recipient)).toList();
        if (to.isEmpty()) {
            throw new AlertDeliveryException("no recipient left: the SMTP server refused "
                    + String.join(", ", notice.destination().split(",")) + " for good",
                    AlertDeliveryException.Retry.FINAL, null);
        }
        exchange.getMessage().setHeader("To", String.join(",", to));
        exchange.setVariable(OUTCOME, "");
    }

    /** The server took the message for every recipient it was addressed to. */
    public void sent(@Variable("notice") Notice notice, Exchange exchange) {
        List<String> to = channel.recipients(exchange.getMessage().getHeader("To", "", String.class));
        to.forEach(problems::recipientAccepted);
        Set<String> took = took(exchange);
        took.addAll(to);
        exchange.setVariable(OUTCOME, took.size() < all(notice) ? " to " + took.size() + " of " + all(notice)
                + " recipients" : "");
    }

    /**
     * The server refused some recipients ({@code doCatch} of a {@link SendFailedException}): records who took it and
     * who was refused for good. Returns when everyone left has it; otherwise throws, for a retry when an address was
     * refused for now (4xx), as final when none took it and every address was refused for good. A refusal that is
     * not about recipients (the sender, the message) is thrown on as it came, for the channel's verdict.
     */
    public void refused(@Variable("notice") Notice notice, Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Optional<SendFailedException> failed = Causes.find(caught, SendFailedException.class)
                .filter(failure -> !(failure instanceof SMTPSenderFailedException));
        List<SMTPAddressFailedException> refusals = failed.map(EmailRecipients::refusals).orElse(List.of());
        Set<String> tookNow = failed.map(failure -> addresses(failure.getValidSentAddresses())).orElse(Set.of());
        if (refusals.isEmpty()) {
            throw caught;
        }
        plan.partlyDelivered(notice, tookNow);
        tookNow.forEach(problems::recipientAccepted);
        Set<String> took = took(exchange);
        took.addAll(tookNow);

        List<String> forGood = new ArrayList<>();
        List<String> problemKeys = new ArrayList<>();
        List<String> forNow = new ArrayList<>();
        for (SMTPAddressFailedException refusal : refusals) {
            String address = refusal.getAddress().getAddress();
            String answer = SafeText.line(refusal.getMessage() == null ? "" : refusal.getMessage(), 200);
            if (isForGood(refusal.getReturnCode())) {
                if (refused.refuse(address, answer)) {
                    problems.recipientRefused(address, answer);
                }
                forGood.add(address + " (" + answer + ")");
                problemKeys.add(MonitorProblems.RECIPIENT_REFUSED + address);
            } else {
                forNow.add(address + " (" + answer + ")");
            }
        }
        StringBuilder outcome = new StringBuilder(took.isEmpty() ? "no recipient took it"
                : "sent to " + took.size() + " of " + all(notice) + " recipients");
        if (!forGood.isEmpty()) {
            outcome.append("; refused for good: ").append(String.join(", ", forGood)).append(", left out until the"
                    + " settings change or the monitor restarts (monitor problem ")
                    .append(String.join(", ", problemKeys)).append(')');
        }
        if (!forNow.isEmpty()) {
            outcome.append("; refused for now: ").append(String.join(", ", forNow));
        }
        Set<String> acceptedUnsent = new LinkedHashSet<>(failed
                .map(failure -> addresses(failure.getValidUnsentAddresses())).orElse(Set.of()));
        refusals.forEach(refusal -> acceptedUnsent.remove(refusal.getAddress().getAddress()));
        if (!acceptedUnsent.isEmpty()) {
            throw caught; // the server took these recipients, then refused the message itself: the channel's verdict
        }
        if (forNow.isEmpty() && !took.isEmpty()) {
            exchange.setVariable(OUTCOME, " " + outcome.substring("sent ".length()));
            // everyone the server takes has it: delivered, and no failure is left for the metrics to count
            exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
            return;
        }
        throw new AlertDeliveryException(outcome.toString(), forNow.isEmpty() ? AlertDeliveryException.Retry.FINAL
                : AlertDeliveryException.Retry.TRANSIENT, null);
    }

    /**
     * A 5xx reply to RCPT TO refuses the address for good, except 552 (mailbox full, too many recipients), which
     * RFC 5321 (4.5.3.1.10) asks clients to take as the temporary 452, as JavaMail does.
     */
    static boolean isForGood(int replyCode) {
        return replyCode >= 500 && replyCode != 552;
    }

    /** The number of recipients the notice is addressed to. */
    private int all(Notice notice) {
        return channel.recipients(notice.destination()).size();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> took(Exchange exchange) {
        Set<String> took = exchange.getVariable(TOOK, Set.class);
        if (took == null) {
            took = new LinkedHashSet<>();
            exchange.setVariable(TOOK, took);
        }
        return took;
    }

    /** The refusal of each recipient, which JavaMail chains as the next exceptions of the one it throws. */
    private static List<SMTPAddressFailedException> refusals(SendFailedException failure) {
        List<SMTPAddressFailedException> refusals = new ArrayList<>();
        Map<Exception, Boolean> seen = new IdentityHashMap<>();
        for (Exception next = failure; next != null && seen.put(next, true) == null;
             next = next instanceof MessagingException messaging ? messaging.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException refusal && refusal.getAddress() != null) {
                refusals.add(refusal);
            }
        }
        return refusals;
    }

    private static Set<String> addresses(Address[] addresses) {
        Set<String> result = new LinkedHashSet<>();
        if (addresses != null) {
            Arrays.stream(addresses).map(address -> address instanceof InternetAddress internet
                    ? internet.getAddress() : address.toString()).forEach(result::add);
        }
        return result;
    }
}
