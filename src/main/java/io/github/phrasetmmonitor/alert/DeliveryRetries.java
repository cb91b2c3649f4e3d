package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.net.DeadlineExceededException;
import io.github.phrasetmmonitor.text.SafeText;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Whether a failed delivery is worth another try within the round ({@code retryWhile} of the {@code alert-delivery}
 * error handler), and the one line the log shows for it.
 *
 * <ul>
 *   <li>Slack: a 5xx answer or a timeout is retried with backoff; a 429 after the {@code Retry-After} it gave (when
 *       that is at most {@link #maxWait}; a longer wait is left to a later round); any other answer is final.</li>
 *   <li>SMTP: a 4xx reply and a failed, lost or timed-out connection (also one cut at {@code alert.email.timeout},
 *       see {@link DeadlineExceededException}) are retried with backoff; a 5xx reply is final for this attempt,
 *       logged with the server's words.</li>
 * </ul>
 * At most {@code alert.delivery.retries} retries per delivery. The backoff delays are the route's redelivery policy;
 * a 429 overrides the next delay through the {@code CamelRedeliveryDelay} header.
 */
public final class DeliveryRetries {

    private static final Pattern REPLY_CODE = Pattern.compile("\\b([245]\\d\\d)[ -]");

    enum Verdict { RETRY, WAIT, FINAL }

    private final int retries;
    private final Duration maxWait;

    public DeliveryRetries(int retries, Duration maxWait) {
        this.retries = retries;
        this.maxWait = maxWait;
    }

    public boolean shouldRetry(Exchange exchange) {
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        Integer attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        if (attempt == null || attempt > retries) {
            return false;
        }
        Throwable failure = failureOf(exchange);
        return switch (verdict(failure)) {
            case RETRY -> true;
            case FINAL -> false;
            case WAIT -> {
                Duration wait = ((AlertDeliveryException) failure).retryAfter();
                if (wait.compareTo(maxWait) > 0) {
                    yield false;
                }
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
                yield true;
            }
        };
    }

    /** The failure in one line: the server's own words for an SMTP reply, and whether it was final. */
    public String describe(Exchange exchange) {
        Throwable failure = failureOf(exchange);
        if (failure == null) {
            return "unknown failure";
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
                        + (code >= 500 ? " (permanent, not retried)" : "");
            }
        }
        if (failure instanceof AlertDeliveryException) {
            return failure.getMessage();
        }
        for (Throwable cause : Causes.of(failure)) {
            if (cause instanceof IOException && !(cause instanceof MessagingException)) {
                return "cannot reach the SMTP server: " + cause.getClass().getSimpleName() + " "
                        + oneLine(cause.getMessage());
            }
        }
        return oneLine(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    static Verdict verdict(Throwable failure) {
        if (failure instanceof AlertDeliveryException delivery) {
            return switch (delivery.retry()) {
                case TRANSIENT -> Verdict.RETRY;
                case WAIT -> Verdict.WAIT;
                case FINAL -> Verdict.FINAL;
            };
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

    private static Throwable failureOf(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static String oneLine(String text) {
        return text == null ? "" : SafeText.line(text, SafeText.LINE);
    }
}
