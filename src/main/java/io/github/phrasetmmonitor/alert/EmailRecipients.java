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
 *   <li>an address refused for now (4xx, and 552), like a whole message refused for now, waits minutes before the
 *   next attempt ({@link TemporaryRefusals}), not a retry within the round;</li>
 *   <li>a refusal of the monitor itself, not of the address ({@link SmtpRefusal}: relaying denied, the EHLO name,
 *   the sender, authentication) leaves nobody out: it is the one monitor problem {@code email-refused}, naming what
 *   fixes it, and the notice is tried again next round, until the server takes it.</li>
 * </ul>
 * When everyone left has it, the notice counts as delivered, and the log line says to how many of its recipients.
 */
public final class EmailRecipients {

    /** Recipients that took the notice in an earlier attempt of this delivery. */
    static final String TOOK = "emailTook";
    /** How the delivery went, for the log line: empty, or " to 2 of 3 recipients; ..." */
    static final String OUTCOME = "deliveryNote";

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
        // the envelope: who is sent this copy; the To: line names every recipient of the notice, on every copy
        exchange.getMessage().setHeader("To", String.join(",", to));
        exchange.getMessage().setHeader(NoticeMailSender.EVERYONE, String.join(", ", channel.everyone(notice)));
        exchange.setVariable(OUTCOME, "");
    }

    /** The server took the message for every recipient it was addressed to. */
    public void sent(@Variable("notice") Notice notice, Exchange exchange) {
        List<String> to = channel.recipients(exchange.getMessage().getHeader("To", "", String.class));
        to.forEach(problems::recipientAccepted);
        problems.emailAccepted();
        channel.refusedForNow().delivered(notice);
        Set<String> took = took(exchange);
        took.addAll(to);
        Set<String> have = new LinkedHashSet<>(channel.tookBefore(notice));
        have.addAll(took);
        int everyone = channel.everyone(notice).size();
        exchange.setVariable(OUTCOME, have.size() < everyone ? " to " + have.size() + " of " + everyone
                + " recipients" : "");
    }

    /**
     * The server refused some recipients ({@code doCatch} of a {@link SendFailedException}): records who took it and
     * who was refused for good. Returns when everyone left has it; otherwise throws, final for the round: an address
     * refused for now (4xx) holds the notice back for a while ({@link TemporaryRefusals}). A refusal of the
     * monitor itself rather than of an address ({@link SmtpRefusal}: relaying denied, the EHLO name, the sender,
     * authentication) leaves nobody out: it is one monitor problem, and the notice is tried again next round. A
     * refusal that is not about recipients (the sender, the message) is thrown on as it came, for the channel's
     * verdict, after telling a refusal of the monitor as that problem too.
     */
    public void refused(@Variable("notice") Notice notice, Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Optional<SendFailedException> failed = Causes.find(caught, SendFailedException.class)
                .filter(failure -> !(failure instanceof SMTPSenderFailedException));
        List<SMTPAddressFailedException> refusals = failed.map(EmailRecipients::refusals).orElse(List.of());
        Set<String> tookNow = failed.map(failure -> addresses(failure.getValidSentAddresses())).orElse(Set.of());
        if (refusals.isEmpty()) {
            Causes.find(caught, SMTPSenderFailedException.class)
                    .map(sender -> SmtpRefusal.of(sender.getReturnCode(), sender.getMessage(), null))
                    .filter(SmtpRefusal::isAboutClient)
                    .ifPresent(refusal -> problems.emailRefused(refusal.whatFixesIt(), answer(refusal.reply())));
            int code = EmailChannel.replyCode(Causes.find(caught, SendFailedException.class).orElse(null));
            if (code >= 400 && code < 500) {
                // the whole message refused for now (MAIL FROM, DATA): waits like a recipient refused for now
                channel.refusedForNow().refused(notice);
                throw new AlertDeliveryException(channel.describe(caught) + " (refused for now)",
                        AlertDeliveryException.Retry.FINAL, null);
            }
            throw caught;
        }
        plan.partlyDelivered(notice, tookNow);
        tookNow.forEach(problems::recipientAccepted);
        Set<String> took = took(exchange);
        took.addAll(tookNow);

        List<String> forGood = new ArrayList<>();
        List<String> problemKeys = new ArrayList<>();
        List<String> forNow = new ArrayList<>();
        List<String> notTaken = new ArrayList<>();
        SmtpRefusal ofTheMonitor = null;
        for (SMTPAddressFailedException failure : refusals) {
            String address = failure.getAddress().getAddress();
            String answer = answer(failure.getMessage());
            SmtpRefusal refusal = SmtpRefusal.of(failure.getReturnCode(), failure.getMessage(), address);
            if (refusal.about() == SmtpRefusal.About.MAILBOX) {
                if (refused.refuse(address, answer)) {
                    problems.recipientRefused(address, answer);
                }
                forGood.add(address + " (" + answer + ")");
                plan.refusedForGood(notice, address);
                problemKeys.add(MonitorProblems.RECIPIENT_REFUSED + address);
            } else if (refusal.isAboutClient()) {
                notTaken.add(address);
                ofTheMonitor = ofTheMonitor == null ? refusal : ofTheMonitor;
            } else {
                forNow.add(address + " (" + answer + ")");
            }
        }
        if (ofTheMonitor != null) {
            problems.emailRefused(ofTheMonitor.whatFixesIt(), answer(ofTheMonitor.reply()));
        } else if (!took.isEmpty()) {
            problems.emailAccepted();
        }
        StringBuilder outcome = new StringBuilder(haveIt(notice, took));
        if (ofTheMonitor != null) {
            outcome.append("; the server refused the monitor, not the address, for ").append(String.join(", ",
                    notTaken)).append(" (").append(answer(ofTheMonitor.reply())).append("): ")
                    .append(ofTheMonitor.whatFixesIt()).append("; nobody is left out (monitor problem ")
                    .append(MonitorProblems.EMAIL_REFUSED).append(')');
        }
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
        if (forNow.isEmpty() && notTaken.isEmpty() && !took.isEmpty()) {
            channel.refusedForNow().delivered(notice);
            exchange.setVariable(OUTCOME, " " + outcome.substring("sent ".length()));
            // everyone the server takes has it: delivered, and no failure is left for the metrics to count
            exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
            return;
        }
        if (!forNow.isEmpty() && ofTheMonitor == null) {
            // a server that says "later" is asked again in minutes, not within the round (TemporaryRefusals)
            channel.refusedForNow().refused(notice);
        }
        // neither passes within the round: a refusal of the monitor waits for the fix, one for now for its wait
        throw new AlertDeliveryException(outcome.toString(), AlertDeliveryException.Retry.FINAL, null);
    }

    /**
     * Who has the notice, in words: "sent to 2 of 3 recipients", or "no recipient took it", or, when earlier
     * attempts (of an earlier round) reached some, "no more recipients took it (1 of 3 have it)".
     */
    private String haveIt(Notice notice, Set<String> took) {
        int everyone = channel.everyone(notice).size();
        Set<String> have = new LinkedHashSet<>(channel.tookBefore(notice));
        have.addAll(took);
        if (!took.isEmpty()) {
            return "sent to " + have.size() + " of " + everyone + " recipients";
        }
        return have.isEmpty() ? "no recipient took it"
                : "no more recipients took it (" + have.size() + " of " + everyone + " have it)";
    }

    private static String answer(String reply) {
        return SafeText.line(reply == null ? "" : reply, 200);
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
