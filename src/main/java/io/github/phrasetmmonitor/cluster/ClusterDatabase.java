package io.github.phrasetmmonitor.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.phrasetmmonitor.settings.ClusterSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database every instance of a cluster shares: one connection pool per instance, and the schema
 * created and migrated by Flyway ({@code db/migration}: Quartz's tables, then the monitor's) before anything uses it.
 * Several instances starting at once migrate once: Flyway locks the schema while it works.
 */
public final class ClusterDatabase extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.cluster");
    /** Quartz's threads, the round's session, the state, claims and the heartbeat, with room to spare. */
    private static final int POOL_SIZE = 10;

    private final ClusterSettings settings;
    private final HikariDataSource pool;

    private ClusterDatabase(ClusterSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /**
     * Connects and migrates the schema now, so that an unreachable database or a refused login stops start-up with
     * one line instead of failing at the first round.
     */
    public static ClusterDatabase open(ClusterSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("phrase-tm-monitor-cluster");
        config.setJdbcUrl(settings.jdbcUrl());
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setSchema(settings.schema());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(2);
        // a lost database must show within a heartbeat, not after the driver's default of half a minute
        config.setConnectionTimeout(Math.max(1000, settings.checkinInterval().toMillis()));
        config.setValidationTimeout(Math.max(250, settings.checkinInterval().toMillis() / 2));
        // A node that freezes (SIGSTOP, a suspended VM, a long GC pause) inside a transaction keeps its row and
        // advisory locks, Quartz's trigger lock among them, and with them stalls every other node's scheduling and
        // state changes until it wakes. PostgreSQL ends such a session once it has sat idle inside its transaction
        // this long; no transaction of the monitor waits on anything but the database.
        config.setConnectionInitSql("SET idle_in_transaction_session_timeout = "
                + frozenTransactionLimit(settings).toMillis());
        // start-up fails below with its own line rather than inside the pool's constructor
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            MigrateResult result = migration(settings).migrate();
            LOG.info("Cluster database {} schema {}: {} migration(s) applied, now at version {}; this node is {}",
                    settings.jdbcUrl(), settings.schema(), result.migrationsExecuted,
                    result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
                    settings.nodeName());
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot use the cluster database " + settings.jdbcUrl() + " (schema "
                    + settings.schema() + "): " + Sql.reason(e), e);
        }
        return new ClusterDatabase(settings, pool);
    }

    /**
     * The schema's migration, on connections of its own: not the pool's, whose idle-in-transaction limit would end a
     * migration whose node is starved of CPU (a throttled container) for a few check-ins, and so fail its start-up.
     * Flyway's lock keeps two nodes from migrating at once, and a node that dies mid-migration ends its session.
     */
    static Flyway migration(ClusterSettings settings) {
        return Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.user().isEmpty() ? null : settings.user(),
                        settings.password().isEmpty() ? null : settings.password())
                .schemas(settings.schema())
                .defaultSchema(settings.schema())
                .locations("classpath:db/migration")
                .load();
    }

    /** Five check-in intervals, at least a second: 10 s with the default interval. */
    static Duration frozenTransactionLimit(ClusterSettings settings) {
        Duration limit = settings.checkinInterval().multipliedBy(5);
        return limit.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : limit;
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * A connection of its own, outside the pool, for a round: it holds the round's advisory lock, which PostgreSQL
     * releases when the connection ends, at once when its process dies. A dead database is noticed within a heartbeat.
     */
    public Connection session() throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        if (!settings.user().isEmpty()) {
            properties.setProperty("user", settings.user());
        }
        if (!settings.password().isEmpty()) {
            properties.setProperty("password", settings.password());
        }
        long seconds = Math.max(1, settings.checkinInterval().toSeconds());
        properties.setProperty("connectTimeout", Long.toString(seconds * 2));
        properties.setProperty("socketTimeout", Long.toString(seconds * 2));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "phrase-tm-monitor round " + settings.nodeName());
        Connection session = java.sql.DriverManager.getConnection(settings.jdbcUrl(), properties);
        session.setSchema(settings.schema());
        return session;
    }

    public ClusterSettings settings() {
        return settings;
    }

    @Override
    protected void doStart() {
        // opened by open()
    }

    @Override
    protected void doStop() {
        pool.close();
    }
}
