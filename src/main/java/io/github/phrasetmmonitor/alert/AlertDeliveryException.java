package io.github.phrasetmmonitor.alert;

import java.time.Duration;

/**
 * A channel did not take a notice. The message is one line and never contains the channel's secret address.
 * {@link #retry()} says whether trying again within the round can help, and {@link #retryAfter()} how long the
 * channel asked to wait (Slack's 429 {@code Retry-After}).
 */
public class AlertDeliveryException extends RuntimeException {

    public enum Retry { TRANSIENT, WAIT, FINAL }

    private final Retry retry;
    private final Duration retryAfter;

    public AlertDeliveryException(String message) {
        this(message, Retry.FINAL, null);
    }

    public AlertDeliveryException(String message, Retry retry, Duration retryAfter) {
        super(message, null, false, false);
        this.retry = retry;
        this.retryAfter = retryAfter;
    }

    public Retry retry() {
        return retry;
    }

    /** What {@link #retry()} means to the one retry rule ({@link DeliveryRetries}). */
    public AlertChannel.Verdict verdict() {
        return switch (retry) {
            case TRANSIENT -> AlertChannel.Verdict.RETRY;
            case WAIT -> AlertChannel.Verdict.WAIT;
            case FINAL -> AlertChannel.Verdict.FINAL;
        };
    }

    /** How long the channel asked to wait; null unless {@link #retry()} is {@link Retry#WAIT}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
