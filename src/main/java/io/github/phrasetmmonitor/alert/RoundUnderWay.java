package io.github.phrasetmmonitor.alert;

import java.time.Instant;
import org.apache.camel.Exchange;

/**
 * The failed and stuck tasks a polling round finds are announced together once that round ends: a delivery pass in
 * the middle of a round (the problem check wakes the channels every {@code monitor.problem-check-interval}, and a
 * round of many TMs can outlast it; the round before may end while this one runs) would otherwise split a storm into
 * a few alerts now and a digest later. A round ends at most {@code phrase.check-timeout} after it handed out its last
 * TM.
 */
public interface RoundUnderWay {

    /** No rounds to wait for (the operator tools). */
    RoundUnderWay NONE = new RoundUnderWay() {
        @Override
        public void found(Exchange check, String tmUid) {
            // nothing is held
        }

        @Override
        public boolean holds(String tmUid, Instant at) {
            return false;
        }
    };

    /**
     * The check on this exchange is about to record a failed or stuck task of the TM (called before the record, so
     * that no delivery pass sees it unheld; a failure known from before is not held, having been recorded before the
     * round began).
     */
    void found(Exchange check, String tmUid);

    /** Whether a round still under way found an incident of this TM that it recorded at {@code at}. */
    boolean holds(String tmUid, Instant at);
}
