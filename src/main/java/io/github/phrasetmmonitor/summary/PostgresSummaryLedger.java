package io.github.phrasetmmonitor.summary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The ledger every node of a cluster shares: table {@code summary_ledger} (migration V4_1). */
public final class PostgresSummaryLedger implements SummaryLedger {

    private final DataSource database;
    private final String name;
    /** The connection holding the pass's advisory lock, which PostgreSQL releases too when a node dies. */
    private final java.util.concurrent.atomic.AtomicReference<Connection> pass =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.Semaphore local = new java.util.concurrent.Semaphore(1);
    private static final String LOCK = "'phrase-tm-monitor summaries'";

    public PostgresSummaryLedger(DataSource database, String name) {
        this.database = database;
        this.name = name;
    }

    @Override
    public void append(String line) {
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO summary_ledger (line) VALUES (?)")) {
            insert.setString(1, line);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the shared summaries ledger: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> lines() {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT line FROM summary_ledger ORDER BY id");
             ResultSet rows = select.executeQuery()) {
            List<String> lines = new ArrayList<>();
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
            return lines;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shared summaries ledger: " + e.getMessage(), e);
        }
    }

    @Override
    public void replace(List<String> kept) {
        // the lines to drop are those not kept: deleted by content, so a line another node appends meanwhile stays
        List<String> all = lines();
        List<String> dropped = new ArrayList<>(all);
        for (String line : kept) {
            dropped.remove(line);
        }
        if (dropped.isEmpty()) {
            return;
        }
        try (Connection connection = database.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM summary_ledger WHERE id = (SELECT min(id) FROM summary_ledger WHERE line = ?)")) {
            for (String line : dropped) {
                delete.setString(1, line);
                delete.addBatch();
            }
            delete.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prune the shared summaries ledger: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean tryLock() {
        if (!local.tryAcquire()) {
            return false;
        }
        try {
            Connection connection = database.getConnection();
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_try_advisory_lock(hashtext(" + LOCK + "))");
                 ResultSet row = lock.executeQuery()) {
                if (row.next() && row.getBoolean(1)) {
                    pass.set(connection);
                    return true;
                }
            }
            connection.close();
        } catch (SQLException e) {
            local.release();
            throw new IllegalStateException("cannot lock the shared summaries ledger: " + e.getMessage(), e);
        }
        local.release();
        return false;
    }

    @Override
    public void unlock() {
        Connection connection = pass.getAndSet(null);
        if (connection == null) {
            return;
        }
        try (connection; PreparedStatement unlock = connection.prepareStatement(
                "SELECT pg_advisory_unlock(hashtext(" + LOCK + "))")) {
            unlock.executeQuery().close();
        } catch (SQLException e) {
            // closing the connection below ends the session's lock all the same
        } finally {
            local.release();
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String describe() {
        return "table summary_ledger of " + name;
    }
}
