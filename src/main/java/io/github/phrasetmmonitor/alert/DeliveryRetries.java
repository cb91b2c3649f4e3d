package io.github.phrasetmmonitor.alert;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * The one retry rule for every channel's deliveries ({@code retryWhile} of the {@code alert-delivery} error handler),
 * and the one line the log shows for a failed delivery. The channel of the notice judges its own failures
 * ({@link AlertChannel#verdict}); this decides what the verdict means: {@code RETRY} is tried again with the route's
 * backoff, {@code WAIT} after the wait the channel asked for (when that is at most {@link #maxWait}; a longer wait is
 * left to a later round, through the {@code CamelRedeliveryDelay} header), {@code FINAL} not in this round. At most
 * {@code alert.delivery.retries} retries per delivery. The line ends with what becomes of the notice next
 * ({@link AlertPlanner#afterFailure}).
 */
public final class DeliveryRetries {

    private final Map<String, AlertChannel> channels;
    private final int retries;
    private final Duration maxWait;
    private final Function<Notice, String> whatNext;

    /** @param whatNext what becomes of a notice its channel did not take, in words */
    public DeliveryRetries(Map<String, AlertChannel> channels, int retries, Duration maxWait,
                           Function<Notice, String> whatNext) {
        this.channels = Map.copyOf(channels);
        this.retries = retries;
        this.maxWait = maxWait;
        this.whatNext = whatNext;
    }

    public boolean shouldRetry(Exchange exchange) {
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        Integer attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        if (attempt == null || attempt > retries) {
            return false;
        }
        Throwable failure = failureOf(exchange);
        return switch (channelOf(exchange).verdict(failure)) {
            case RETRY -> true;
            case FINAL -> false;
            case WAIT -> {
                Duration wait = channelOf(exchange).retryAfter(failure);
                if (wait.compareTo(maxWait) > 0) {
                    yield false;
                }
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
                yield true;
            }
        };
    }

    /** The failure in one line, in the channel's words, and what happens next. */
    public String describe(Exchange exchange) {
        Throwable failure = failureOf(exchange);
        return (failure == null ? "unknown failure" : channelOf(exchange).describe(failure)) + "; "
                + whatNext.apply(exchange.getVariable("notice", Notice.class));
    }

    private AlertChannel channelOf(Exchange exchange) {
        Notice notice = exchange.getVariable("notice", Notice.class);
        AlertChannel channel = notice == null ? null : channels.get(notice.channel());
        if (channel == null) {
            throw new IllegalStateException("a delivery without the variable notice, or on an unknown channel");
        }
        return channel;
    }

    private static Throwable failureOf(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
    }
}
