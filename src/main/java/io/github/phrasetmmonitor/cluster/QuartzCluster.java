package io.github.phrasetmmonitor.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz for the two triggers (the rounds and the problem check). In a cluster, its clustered JDBC job store on the
 * cluster database: each cron tick (and each problem check) fires on one node, a node that misses its check-in
 * ({@code cluster.checkin-interval}) by a second is taken as dead, and the round it was running is run again by
 * another node (the routes' {@code recoverableJob}). Every instance must use the same {@code camel.main.name}: the
 * jobs find their routes by it.
 */
public final class QuartzCluster {

    /** Quartz's threads: the poll and the problem check, and one to spare for a recovered round. */
    static final int THREADS = 3;

    private QuartzCluster() {
    }

    public static void configure(QuartzComponent quartz, ClusterDatabase database) {
        String dataSource = "phraseTmMonitor-" + database.settings().nodeName();
        // Quartz looks its data sources up by name in its own registry; this one is the node's pool
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return database.connection();
            }

            @Override
            public void shutdown() {
                // the pool is closed with the context (ClusterDatabase)
            }

            @Override
            public void initialize() {
                // the pool exists already
            }
        });
        quartz.setProperties(properties(database, dataSource));
    }

    /**
     * One process: an in-memory scheduler of its own. Quartz keeps schedulers in a JVM-wide registry by name; with
     * the shared default name, a monitor started in a JVM where an earlier one was still shutting down (the operator
     * tools' dry runs, the tests) reused that scheduler, and a job left in it rescheduled the new monitor's rounds.
     */
    public static void singleProcess(QuartzComponent quartz) {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "phrase-tm-monitor-" + java.util.UUID.randomUUID());
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(THREADS));
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        quartz.setProperties(properties);
    }

    static Properties properties(ClusterDatabase database, String dataSource) {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "phrase-tm-monitor");
        properties.setProperty("org.quartz.scheduler.instanceId", database.settings().nodeName());
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(THREADS));
        properties.setProperty("org.quartz.jobStore.class", PromptFailoverJobStore.class.getName());
        properties.setProperty("org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        properties.setProperty("org.quartz.jobStore.dataSource", dataSource);
        properties.setProperty("org.quartz.jobStore.tablePrefix", database.settings().schema() + ".qrtz_");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                Long.toString(database.settings().checkinInterval().toMillis()));
        properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        // a node takes its next tick at most a second before it is due (Quartz's default: up to 30 s). A tick taken
        // by a node that then dies waits until that node is held dead (its check-in plus a second); a tick nobody
        // took yet goes to a live node on time
        properties.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
        // a tick later than this (its node died holding it, or every node was busy or down) counts as missed: the
        // ticks missed meanwhile fire once, not one after the other
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        return properties;
    }
}
