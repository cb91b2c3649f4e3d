package io.github.phrasetmmonitor.alert;

import java.time.Instant;

/**
 * Whether a polling round still under way found something. The failed and stuck tasks a round finds, and the
 * failures it sees resolved, are announced together once it ends: a delivery pass in the middle of a round (the
 * problem check wakes the channels every {@code monitor.problem-check-interval}, and a round of many TMs can outlast
 * it; the round before ends while this one runs) would otherwise split a storm into a few alerts now and a digest
 * later. A round ends at most {@code phrase.check-timeout} after it handed out its last TM.
 */
@FunctionalInterface
public interface RoundUnderWay {

    /** No rounds to wait for (the operator tools). */
    RoundUnderWay NONE = (tmUid, at) -> false;

    /** Whether a round still under way checks this TM and had begun by {@code at}, when the incident changed. */
    boolean found(String tmUid, Instant at);
}
