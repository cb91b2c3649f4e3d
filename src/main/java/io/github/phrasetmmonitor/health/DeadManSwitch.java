package io.github.phrasetmmonitor.health;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.quartz.CronExpression;

/**
 * When the monitor counts as stale: {@code monitor.stale-after} after the last successful round, or by default once
 * the three rounds the cron schedules after it have all had their turn (each given one cron period to finish)
 * without success. Counting ticks rather than a fixed time keeps a working-hours cron from going stale overnight.
 */
public final class DeadManSwitch {

    static final int MISSED_ROUNDS = 3;

    private final Optional<Duration> staleAfter;
    private final CronExpression cron;

    public DeadManSwitch(Optional<Duration> staleAfter, String cron) {
        this.staleAfter = staleAfter;
        try {
            this.cron = new CronExpression(cron);
        } catch (ParseException e) {
            throw new IllegalArgumentException("monitor.cron is not a Quartz cron expression", e);
        }
    }

    /** The moment the monitor becomes stale if no round succeeds after {@code lastSuccess}. */
    public synchronized Instant deadline(Instant lastSuccess) {
        if (staleAfter.isPresent()) {
            return lastSuccess.plus(staleAfter.get());
        }
        Date tick = Date.from(lastSuccess);
        Date previous = tick;
        for (int i = 0; i < MISSED_ROUNDS; i++) {
            Date next = cron.getNextValidTimeAfter(tick);
            if (next == null) {
                // a cron with no more ticks never runs again: nothing to wait for
                return Instant.MAX;
            }
            previous = tick;
            tick = next;
        }
        Duration period = Duration.between(previous.toInstant(), tick.toInstant());
        return tick.toInstant().plus(period);
    }

    /** What readiness says about the rule, e.g. "monitor.stale-after 10m" or "3 cron periods". */
    public String describe() {
        return staleAfter.map(d -> "monitor.stale-after " + d.toString().substring(2).toLowerCase())
                .orElse(MISSED_ROUNDS + " cron periods (monitor.stale-after)");
    }
}
