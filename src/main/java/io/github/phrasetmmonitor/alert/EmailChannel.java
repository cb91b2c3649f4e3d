package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.settings.AlertChannels;
import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.net.DeadlineExceededException;
import io.github.phrasetmmonitor.net.TlsFailure;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.text.SafeText;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Email over SMTP (the {@code smtp:} endpoint of route {@code send-email-smtp}). A routing rule gives recipients
 * (variable {@code emailTo}); the server takes or refuses each on its own ({@link EmailRecipients}), and an address
 * it refused for good is left out from then on ({@link RefusedRecipients}). A 4xx reply and a failed, lost or
 * timed-out connection (also one cut at {@code alert.email.timeout}, see {@link DeadlineExceededException}) are worth
 * a retry; a 5xx reply, a certificate that is not trusted or names another host, and a server without STARTTLS
 * while {@code alert.email.starttls} requires it are final for this round, logged with what fixes them.
 */
public final class EmailChannel implements AlertChannel {

    public static final String NAME = AlertChannels.EMAIL;
    private static final Pattern REPLY_CODE = Pattern.compile("\\b([245]\\d\\d)[ -]");
    /** JavaMail's words when alert.email.starttls requires STARTTLS and the server does not offer it. */
    private static final Pattern NO_STARTTLS = Pattern.compile("STARTTLS (is )?required but");
    private static final String NOT_RETRIED = " (not retried in this round)";

    private final String defaultRecipients;
    private final RefusedRecipients refused;
    private final TemporaryRefusals refusedForNow;

    /** @param defaultRecipients {@code alert.email.to} */
    public EmailChannel(String defaultRecipients) {
        this(defaultRecipients, new RefusedRecipients());
    }

    /** @param refused the addresses the server refused for good since the monitor started */
    public EmailChannel(String defaultRecipients, RefusedRecipients refused) {
        this(defaultRecipients, refused, new TemporaryRefusals(Duration.ofMinutes(1), Clock.systemUTC()));
    }

    /** @param refusedForNow the notices the server refused for now, and how long each waits */
    public EmailChannel(String defaultRecipients, RefusedRecipients refused, TemporaryRefusals refusedForNow) {
        this.defaultRecipients = defaultRecipients == null ? "" : defaultRecipients.trim();
        this.refused = refused;
        this.refusedForNow = refusedForNow;
    }

    /** The notices the server refused for now (4xx), each waiting before its next attempt. */
    public TemporaryRefusals refusedForNow() {
        return refusedForNow;
    }

    @Override
    public Optional<Instant> heldBackUntil(Notice notice) {
        return refusedForNow.heldBackUntil(notice);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String routingVariable() {
        return "emailTo";
    }

    @Override
    public String defaultDestination() {
        return defaultRecipients;
    }

    @Override
    public String destination(String chosen) {
        String recipients = chosen == null || chosen.isBlank() ? defaultRecipients : chosen.trim();
        try {
            InternetAddress[] parsed = InternetAddress.parse(recipients, true);
            if (parsed.length == 0) {
                throw new AddressException("no address");
            }
            return String.join(",", Arrays.stream(parsed).map(InternetAddress::getAddress).toList());
        } catch (AddressException e) {
            throw new IllegalArgumentException("a routing rule gives email recipients that are not addresses"
                    + " (variable emailTo): " + e.getMessage());
        }
    }

    /** The addresses of a destination as {@link #destination} wrote it (comma-separated). */
    @Override
    public List<String> recipients(String destination) {
        return Arrays.stream(destination.split(",")).map(String::trim).filter(address -> !address.isEmpty())
                .toList();
    }

    /**
     * Every recipient of the notice, those who have it from an earlier attempt and those the server refused for good
     * too: the {@code To:} of every copy, so each copy of a notice shows the same list, however the server answered.
     * The routing of its incidents on this channel (a digest's may differ), then any other address it goes to.
     */
    public List<String> everyone(Notice notice) {
        Set<String> everyone = new LinkedHashSet<>();
        for (Incident incident : notice.incidents()) {
            String destination = incident.routing() == null ? null
                    : incident.routing().destinations().get(notice.channel());
            if (destination != null) {
                everyone.addAll(recipients(destination));
            }
        }
        everyone.addAll(recipients(notice.destination()));
        return List.copyOf(everyone);
    }

    /** The recipients who took the notice in an earlier attempt, an earlier round's or before a restart. */
    public Set<String> tookBefore(Notice notice) {
        Incident.Stage stage = switch (notice.kind()) {
            case ALERT, DIGEST -> Incident.Stage.ALERT;
            case REMINDER -> Incident.Stage.REMINDER;
            case RESOLVED -> Incident.Stage.RESOLVED;
        };
        Set<String> took = new LinkedHashSet<>();
        notice.incidents().forEach(incident -> took.addAll(incident.took(notice.channel(), stage)));
        return took;
    }

    @Override
    public boolean reachable(String recipient) {
        return !refused.isRefused(recipient);
    }

    @Override
    public Verdict verdict(Throwable failure) {
        if (failure instanceof AlertDeliveryException delivery) {
            return delivery.verdict(); // recipients refused (EmailRecipients)
        }
        if (TlsFailure.of(failure).isPresent() || withoutStartTls(failure)) {
            return Verdict.FINAL; // the next attempt meets the same certificate, the same server
        }
        List<Throwable> chain = Causes.of(failure);
        for (Throwable cause : chain) {
            int code = replyCode(cause);
            if (code >= 400 && code < 500) {
                return Verdict.RETRY;
            }
            if (code >= 500) {
                return Verdict.FINAL;
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof IOException && !(cause instanceof MessagingException)) {
                return Verdict.RETRY; // connection refused, reset, timed out
            }
            if (cause instanceof org.eclipse.angus.mail.util.MailConnectException) {
                return Verdict.RETRY;
            }
        }
        return Verdict.FINAL;
    }

    @Override
    public String describe(Throwable failure) {
        if (failure instanceof AlertDeliveryException) {
            return failure.getMessage();
        }
        Optional<TlsFailure> certificate = TlsFailure.of(failure);
        if (certificate.isPresent()) {
            return certificate.get().describe("the SMTP server", "alert.email.smtp-host") + NOT_RETRIED;
        }
        if (withoutStartTls(failure)) {
            return "the SMTP server does not offer STARTTLS, which alert.email.starttls=true requires" + NOT_RETRIED
                    + ": use a server that offers it (alert.email.smtp-host, alert.email.smtp-port), or set"
                    + " alert.email.starttls=false where the network to it is trusted";
        }
        Optional<DeadlineExceededException> cut = Causes.find(failure, DeadlineExceededException.class);
        if (cut.isPresent()) {
            return "SMTP server did not complete within alert.email.timeout ("
                    + DeadlineExceededException.text(cut.get().limit()) + "), cut off";
        }
        for (Throwable cause : Causes.of(failure)) {
            int code = replyCode(cause);
            if (code > 0) {
                return "SMTP server answered " + oneLine(cause.getMessage()).replaceFirst("^(\\d{3})\\s+\\1", "$1")
                        + (code >= 500 ? " (permanent, not retried in this round)" : "");
            }
        }
        for (Throwable cause : Causes.of(failure)) {
            if (cause instanceof IOException && !(cause instanceof MessagingException)) {
                return "cannot reach the SMTP server: " + cause.getClass().getSimpleName() + " "
                        + oneLine(cause.getMessage());
            }
        }
        return oneLine(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    private static boolean withoutStartTls(Throwable failure) {
        return Causes.of(failure).stream().anyMatch(cause -> cause instanceof MessagingException
                && cause.getMessage() != null && NO_STARTTLS.matcher(cause.getMessage()).find());
    }

    /** The SMTP reply code an exception carries, or 0. */
    static int replyCode(Throwable failure) {
        if (failure instanceof SMTPSendFailedException sendFailed) {
            return sendFailed.getReturnCode();
        }
        if (failure instanceof SMTPAddressFailedException addressFailed) {
            return addressFailed.getReturnCode();
        }
        if (failure instanceof SMTPSenderFailedException senderFailed) {
            return senderFailed.getReturnCode();
        }
        if (failure instanceof MessagingException && failure.getMessage() != null
                && failure.getMessage().contains("response:")) {
            // "Got bad greeting from SMTP host: ..., response: 421 ..." and the like
            Matcher code = REPLY_CODE.matcher(failure.getMessage().substring(failure.getMessage().indexOf("response:")));
            return code.find() ? Integer.parseInt(code.group(1)) : 0;
        }
        return 0;
    }

    private static String oneLine(String text) {
        return text == null ? "" : SafeText.line(text, SafeText.LINE);
    }
}
