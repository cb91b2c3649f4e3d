package io.github.phrasetmmonitor.cluster;

import io.github.phrasetmmonitor.state.IncidentKey;
import io.github.phrasetmmonitor.state.IncidentLog;
import io.github.phrasetmmonitor.state.StateUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incident journal of a cluster: table {@code incident_journal}, one row per incident key with its newest line
 * (the same JSON as the file journal) and the sequence number of that change.
 *
 * <p>Every change runs in one transaction holding a cluster-wide advisory lock, after replaying the rows other
 * instances changed since this one last looked (a higher seq). Changes are therefore applied one at a time across the
 * cluster in seq order, and an instance that catches up by seq misses nothing. Reads catch up without the lock.
 */
public final class PostgresIncidentLog implements IncidentLog {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.alert");
    /**
     * The advisory lock of the incident state: the schema's, since PostgreSQL's advisory locks are the whole
     * database's and two clusters (or two tests) may share a database in schemas of their own.
     */
    static final int STATE_LOCK = 1;

    private final ClusterDatabase database;
    /** The newest change this instance has replayed or written. Guarded by this. */
    private long seen;
    /** The transaction of the change under way, inside {@link #exclusive}. Guarded by this. */
    private Connection current;
    /** The newest change written in the current transaction. */
    private long written;

    public PostgresIncidentLog(ClusterDatabase database) {
        this.database = database;
    }

    @Override
    public synchronized void start(Predicate<String> replay, Supplier<List<String>> compacted) {
        seen = 0;
        try (Connection connection = database.connection()) {
            int unreadable = replaySince(connection, replay);
            if (unreadable > 0) {
                LOG.warn("Shared incident state {} had {} unreadable row(s); ignored them", describe(), unreadable);
            }
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot read the shared incident state: " + Sql.reason(e), e);
        }
    }

    @Override
    public synchronized void append(IncidentKey key, String line) {
        if (current == null) {
            throw new IllegalStateException("a change of the shared incident state outside a transaction");
        }
        try (PreparedStatement upsert = current.prepareStatement("INSERT INTO incident_journal (incident_key, line, seq)"
                + " VALUES (?, ?, nextval('incident_change')) ON CONFLICT (incident_key)"
                + " DO UPDATE SET line = EXCLUDED.line, seq = EXCLUDED.seq RETURNING seq")) {
            upsert.setString(1, key.id());
            upsert.setString(2, line);
            try (ResultSet result = upsert.executeQuery()) {
                result.next();
                written = Math.max(written, result.getLong(1));
            }
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot write the shared incident state: " + Sql.reason(e), e);
        }
    }

    @Override
    public synchronized <T> T exclusive(Supplier<T> change, Predicate<String> replay) {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT pg_advisory_xact_lock(hashtext(current_schema()), ?)")) {
                    lock.setInt(1, STATE_LOCK);
                    lock.execute();
                }
                replaySince(connection, replay);
                current = connection;
                written = 0;
                T result = change.get();
                connection.commit();
                // nobody else wrote while the lock was held: this instance has seen everything up to its own writes
                seen = Math.max(seen, written);
                return result;
            } catch (SQLException | RuntimeException e) {
                rollBack(connection);
                seen = 0; // the caller forgets its memory of the state and reads it all again
                throw e instanceof StateUnavailableException unavailable ? unavailable
                        : new StateUnavailableException("cannot change the shared incident state: " + Sql.reason(e), e);
            } finally {
                current = null;
            }
        } catch (SQLException e) {
            seen = 0;
            throw new StateUnavailableException("cannot reach the shared incident state: " + Sql.reason(e), e);
        }
    }

    /** The transaction of the change under way, for a step that must commit with it (a delivery claim). */
    synchronized Connection transaction() {
        if (current == null) {
            throw new IllegalStateException("no change of the shared incident state is under way");
        }
        return current;
    }

    @Override
    public synchronized void catchUp(Predicate<String> replay) {
        try (Connection connection = database.connection()) {
            replaySince(connection, replay);
        } catch (SQLException e) {
            seen = 0;
            throw new StateUnavailableException("cannot read the shared incident state: " + Sql.reason(e), e);
        }
    }

    private int replaySince(Connection connection, Predicate<String> replay) throws SQLException {
        int unreadable = 0;
        try (PreparedStatement changes = connection.prepareStatement(
                "SELECT line, seq FROM incident_journal WHERE seq > ? ORDER BY seq")) {
            changes.setLong(1, seen);
            try (ResultSet rows = changes.executeQuery()) {
                while (rows.next()) {
                    if (!replay.test(rows.getString(1))) {
                        unreadable++;
                    }
                    seen = rows.getLong(2);
                }
            }
        }
        return unreadable;
    }

    private static void rollBack(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is lost; the transaction with it
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void stop() {
        // the pool is the database's
    }

    @Override
    public String describe() {
        return database.settings().jdbcUrl() + " schema " + database.settings().schema();
    }
}
