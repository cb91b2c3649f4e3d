package io.github.phrasetmmonitor.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.NoSuchDelegateException;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's clustered JDBC job store, taking a node for dead one second after it missed its check-in instead of
 * Quartz's fixed 7.5 s, so that a tick the dead node had already taken fires on another node within about one
 * check-in and a second, not after a whole 5-second cron period more.
 *
 * <p>Quartz's margin is there for clocks that differ between nodes (the README asks for NTP), and against taking a
 * live node for dead. Here a node wrongly taken for dead costs nothing: the round it runs keeps its lock
 * ({@link PostgresRoundLeases}), so the recovered tick finds the round running and is skipped.
 *
 * <p>A node woken from a freeze finds that another node took it for dead and removed its check-in row. Quartz then
 * logs "This scheduler instance ... is still active but was recovered by another instance in the cluster. This may
 * cause inconsistent behavior." and writes the row again; nothing else. Here the row is written again before Quartz
 * looks, and the node says in its own words what happened and that it is expected.
 */
public final class PromptFailoverJobStore extends JobStoreTX {

    static final long GRACE_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.cluster");

    /** When this node last checked in: a node that was itself late (frozen) takes nobody else for dead for that. */
    private volatile long lastCheckin = System.currentTimeMillis();

    @Override
    protected List<SchedulerStateRecord> clusterCheckIn(Connection connection) throws JobPersistenceException {
        long away = System.currentTimeMillis() - lastCheckin;
        if (!firstCheckIn && !checkedInAgain(connection)) {
            LOG.info("This node was taken for dead by another node: it had not checked in for {} s (frozen, paused or"
                    + " cut off from the database), and the other node took over its scheduled work. Expected after"
                    + " a freeze: it takes part in the cluster again from now", String.format(Locale.ROOT, "%.1f",
                    away / 1000.0));
        }
        List<SchedulerStateRecord> failed = super.clusterCheckIn(connection);
        lastCheckin = System.currentTimeMillis();
        return failed;
    }

    /**
     * Renews this node's check-in row, or, when another node removed it as that of a dead node, writes it anew.
     * In the check-in's transaction: a row renewed here is locked until it commits, so no other node removes it
     * before Quartz reads it.
     *
     * @return false when the row had been removed
     */
    private boolean checkedInAgain(Connection connection) throws JobPersistenceException {
        long now = System.currentTimeMillis();
        try {
            if (getDelegate().updateSchedulerState(connection, getInstanceId(), now) > 0) {
                return true;
            }
            getDelegate().insertSchedulerState(connection, getInstanceId(), now, getClusterCheckinInterval());
            return false;
        } catch (SQLException | NoSuchDelegateException e) {
            throw new JobPersistenceException("Failure updating scheduler state when checking-in: " + e.getMessage(),
                    e);
        }
    }

    @Override
    protected long calcFailedIfAfter(SchedulerStateRecord record) {
        return record.getCheckinTimestamp()
                + Math.max(record.getCheckinInterval(), System.currentTimeMillis() - lastCheckin)
                + GRACE_MILLIS;
    }
}
