package io.github.phrasetmmonitor.alert;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What every alert channel is to the incident pipeline. Each channel has one implementation of this, one pair of
 * templates per incident kind, and one route {@code send-<name>-alert} of the same shape: compose the notice, send
 * it, record it. Failures go through the one retry rule of route configuration {@code alert-delivery}
 * ({@link DeliveryRetries}), which asks the channel for its verdict.
 */
public interface AlertChannel {

    /** What the channel's verdict on a failed delivery is. */
    enum Verdict {
        /** May work at once: retried within the round, with backoff. */
        RETRY,
        /** The channel asked to wait ({@link AlertDeliveryException#retryAfter()}); retried after that wait. */
        WAIT,
        /** Trying again now cannot help: left to a later round, or the fallback channel. */
        FINAL
    }

    /** The channel's name in {@code alert.channels} and in routing rules. */
    String name();

    /** The variable a routing rule sets to choose where this channel's notices go. */
    String routingVariable();

    /** Where notices go when no rule chose: the default webhook, {@code alert.email.to}. */
    String defaultDestination();

    /**
     * A routing rule's choice, checked and normalised; blank means the default.
     *
     * @throws IllegalArgumentException naming the variable and what is wrong with its value
     */
    String destination(String chosen);

    /**
     * The recipients a destination stands for, each of which the channel's server may take or refuse on its own:
     * the addresses of an email destination; a Slack webhook is one.
     */
    default List<String> recipients(String destination) {
        return List.of(destination);
    }

    /**
     * False for a recipient the server refused for good since the monitor started (an email address answered 5xx):
     * notices leave it out until the settings change or the monitor restarts.
     */
    default boolean reachable(String recipient) {
        return true;
    }

    /**
     * The time before which the channel does not want the notice tried again, when it asked for a wait (email, after
     * the SMTP server refused it for now): it is not sent in the meantime, and not counted as failed.
     */
    default Optional<Instant> heldBackUntil(Notice notice) {
        return Optional.empty();
    }

    /**
     * How often an open incident is told again on this channel, when the channel needs it whatever
     * {@code alert.repeat-interval} says (Alertmanager forgets an alert not posted again); empty: that setting.
     */
    default Optional<java.time.Duration> repeatInterval() {
        return Optional.empty();
    }

    Verdict verdict(Throwable failure);

    /** How long the channel asked to wait, when its verdict is {@link Verdict#WAIT}; zero when it did not say. */
    default java.time.Duration retryAfter(Throwable failure) {
        return io.github.phrasetmmonitor.logging.Causes.find(failure, AlertDeliveryException.class)
                .map(AlertDeliveryException::retryAfter).filter(java.util.Objects::nonNull)
                .orElse(java.time.Duration.ZERO);
    }

    /** The failure in one line, for the log; never the channel's secret address. */
    String describe(Throwable failure);
}
