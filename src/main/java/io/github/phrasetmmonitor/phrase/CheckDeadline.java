package io.github.phrasetmmonitor.phrase;

import java.time.Duration;
import org.apache.camel.Exchange;

/**
 * The moment one TM's check must be over ({@code phrase.check-timeout}), retries and waits included, so that one slow
 * or failing TM cannot hold a polling thread for many rounds. Set when the check starts; calls and retries of that
 * check read it from the exchange. Calls outside a TM check (the account's TM list) have none.
 */
public record CheckDeadline(long deadlineNanos) {

    static final String VARIABLE = "checkDeadline";
    private static final CheckDeadline NONE = new CheckDeadline(Long.MAX_VALUE);

    public static CheckDeadline after(Duration timeout) {
        return new CheckDeadline(System.nanoTime() + timeout.toNanos());
    }

    public static CheckDeadline of(Exchange exchange) {
        CheckDeadline deadline = exchange.getVariable(VARIABLE, CheckDeadline.class);
        return deadline == null ? NONE : deadline;
    }

    public void setOn(Exchange exchange) {
        exchange.setVariable(VARIABLE, this);
    }

    /** What is left; zero once it has passed. */
    public Duration remaining() {
        if (this == NONE || deadlineNanos == Long.MAX_VALUE) {
            return Duration.ofNanos(Long.MAX_VALUE);
        }
        long left = deadlineNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** {@code timeout}, or less when the check has less left. */
    public Duration cap(Duration timeout) {
        Duration left = remaining();
        return left.compareTo(timeout) < 0 ? left : timeout;
    }

    /** Whether waiting {@code wait} and then trying again still leaves time for the attempt. */
    public boolean allows(Duration wait) {
        return remaining().compareTo(wait) > 0;
    }
}
