package io.github.phrasetmmonitor.poll;

import io.github.phrasetmmonitor.health.MonitorHealth;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.metrics.MonitorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets one polling round run at a time, and tells health, metrics and the monitor's problems when a round starts and ends. A cron tick that
 * finds the previous round still running is skipped with a log line rather than stacked behind it: stacked rounds
 * would only hammer Phrase harder when it is already slow.
 */
public final class PollingRounds {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.poll");

    private final Clock clock;
    private final MonitorHealth health;
    private final MonitorMetrics metrics;
    private final MonitorProblems problems;
    private final AtomicReference<Instant> runningSince = new AtomicReference<>();
    private final AtomicLong completed = new AtomicLong();

    public PollingRounds(Clock clock, MonitorHealth health, MonitorMetrics metrics, MonitorProblems problems) {
        this.clock = clock;
        this.health = health;
        this.metrics = metrics;
        this.problems = problems;
    }

    /** @return true when this tick may start a round; false (and one log line) while another is running */
    public boolean begin() {
        Instant now = clock.instant();
        if (runningSince.compareAndSet(null, now)) {
            health.roundStarted();
            return true;
        }
        Instant since = runningSince.get();
        LOG.warn("Skipping this cron tick: the round started at {} is still running ({} s so far)", since,
                since == null ? 0 : Duration.between(since, now).toSeconds());
        return false;
    }

    public void end() {
        Instant since = runningSince.get();
        health.roundFinished();
        problems.roundFinished();
        if (since != null) {
            metrics.roundFinished(Duration.between(since, clock.instant()));
        }
        completed.incrementAndGet();
        runningSince.set(null);
    }

    /** Rounds that ran to their end since start-up (skipped ticks do not count). */
    public long completed() {
        return completed.get();
    }
}
