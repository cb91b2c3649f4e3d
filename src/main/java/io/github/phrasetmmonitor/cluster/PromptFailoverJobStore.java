package io.github.phrasetmmonitor.cluster;

import java.sql.Connection;
import java.util.List;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;

/**
 * Quartz's clustered JDBC job store, taking a node for dead one second after it missed its check-in instead of
 * Quartz's fixed 7.5 s, so that a tick the dead node had already taken fires on another node within about one
 * check-in and a second, not after a whole 5-second cron period more.
 *
 * <p>Quartz's margin is there for clocks that differ between nodes (the README asks for NTP), and against taking a
 * live node for dead. Here a node wrongly taken for dead costs nothing: the round it runs keeps its lock
 * ({@link PostgresRoundLeases}), so the recovered tick finds the round running and is skipped.
 */
public final class PromptFailoverJobStore extends JobStoreTX {

    static final long GRACE_MILLIS = 1000;

    /** When this node last checked in: a node that was itself late (frozen) takes nobody else for dead for that. */
    private volatile long lastCheckin = System.currentTimeMillis();

    @Override
    protected List<SchedulerStateRecord> clusterCheckIn(Connection connection) throws JobPersistenceException {
        List<SchedulerStateRecord> failed = super.clusterCheckIn(connection);
        lastCheckin = System.currentTimeMillis();
        return failed;
    }

    @Override
    protected long calcFailedIfAfter(SchedulerStateRecord record) {
        return record.getCheckinTimestamp()
                + Math.max(record.getCheckinInterval(), System.currentTimeMillis() - lastCheckin)
                + GRACE_MILLIS;
    }
}
