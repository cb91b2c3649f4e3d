package io.github.phrasetmmonitor.poll;

/**
 * Starts one round now, in place of the cron ticks skipped while the last round ran, so that a round which outlasts
 * its tick by a little does not halve the polling rate ({@link PollingRounds}).
 */
@FunctionalInterface
public interface CatchUp {

    /** Nothing is caught up (tests of the rounds' bookkeeping alone). */
    CatchUp NONE = () -> {
    };

    void fire();
}
