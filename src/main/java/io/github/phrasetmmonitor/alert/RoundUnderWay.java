package io.github.phrasetmmonitor.alert;

import java.time.Instant;
import java.util.function.BiPredicate;
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
        public BiPredicate<String, Instant> held() {
            return (tmUid, at) -> false;
        }
    };

    /**
     * The check on this exchange is about to record a failed or stuck task of the TM (called before the record, so
     * that no delivery pass sees it unheld; a failure known from before is not held, having been recorded before the
     * round began).
     */
    void found(Exchange check, String tmUid);

    /**
     * What the rounds under way hold now, asked once per delivery pass: whether one of them found an incident of the TM
     * (first argument) that it recorded at the instant (second argument).
     */
    BiPredicate<String, Instant> held();
}
