package io.github.phrasetmmonitor.alert;

import java.time.Instant;
import java.util.Optional;

/**
 * When the polling round under way began, if one is. The failed and stuck tasks a round finds, and the failures it
 * sees resolved, are announced together once it ends: a delivery pass in the middle of a round (the problem check
 * wakes the channels every {@code monitor.problem-check-interval}, and a round of many TMs can outlast it) would
 * otherwise split a storm into a few alerts now and a digest later.
 */
@FunctionalInterface
public interface RoundUnderWay {

    /** No rounds to wait for (the operator tools). */
    RoundUnderWay NONE = Optional::empty;

    Optional<Instant> since();
}
