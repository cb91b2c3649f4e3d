package io.github.phrasetmmonitor.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.poll.RoundLeases;
import io.github.phrasetmmonitor.state.IncidentState;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round at a time across the cluster. Quartz's clustered job store gives each cron tick to one node; a round may
 * still outlast its tick, and the next tick may go to another node. So the node that runs a round holds a
 * PostgreSQL advisory lock on a session of its own ({@link ClusterDatabase#session()}) for as long as it runs:
 * <ul>
 *   <li>a node that dies (kill -9, a lost VM) loses its session and with it the lock at once, so the next tick
 *   anywhere runs a round;</li>
 *   <li>a node that is frozen (SIGSTOP, a long GC pause, a paused VM) keeps its session but stops renewing its lease
 *   in {@code cluster_rounds}; after {@link io.github.phrasetmmonitor.settings.ClusterSettings#roundLease()} the next
 *   node ends that session ({@code pg_terminate_backend}) and runs the round. When the frozen node wakes, its lease
 *   is gone: it hands out no more TMs, and anything it still records goes through the shared state and the claims,
 *   so it sends nothing twice.</li>
 * </ul>
 */
public final class PostgresRoundLeases implements RoundLeases {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.cluster");
    /**
     * The advisory lock of the round: the schema's, since PostgreSQL's advisory locks are the whole database's and two
     * clusters (or two tests) may share a database in schemas of their own.
     */
    static final int ROUND_LOCK = 2;

    /** What {@code cluster_rounds} says about the cluster's last rounds. */
    public record View(Optional<String> lastRoundNode, Optional<Instant> lastSuccess) {
    }

    private record Holder(String node, int pid, Instant since, boolean expired) {
    }

    private final class Session implements Lease {
        private final Connection connection;
        private final Optional<MonitorProblems.Memory> handedOver;
        private volatile boolean held = true;

        private Session(Connection connection, Optional<MonitorProblems.Memory> handedOver) {
            this.connection = connection;
            this.handedOver = handedOver;
        }

        @Override
        public boolean held() {
            return held;
        }

        /** Asked of the database, not of the last heartbeat: a node that just woke has not heard yet. */
        @Override
        public boolean admits() {
            if (!held) {
                return false;
            }
            synchronized (connection) {
                try (PreparedStatement mine = connection.prepareStatement(
                        "SELECT running_pid = pg_backend_pid() FROM cluster_rounds WHERE id = 1");
                     ResultSet row = mine.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        return true;
                    }
                } catch (SQLException e) {
                    // the session was ended: the round is another node's now
                }
            }
            lost(this, "another node took it over");
            return false;
        }

        @Override
        public Optional<MonitorProblems.Memory> handedOver() {
            return handedOver;
        }
    }

    private final ClusterDatabase database;
    private final String node;
    private final Duration lease;
    private final Set<Session> running = ConcurrentHashMap.newKeySet();
    /** The version of the problem checks' memory this node wrote or took last. */
    private final AtomicLong memorySeen = new AtomicLong();
    private final ObjectMapper json = IncidentState.mapper();

    public PostgresRoundLeases(ClusterDatabase database) {
        this.database = database;
        this.node = database.settings().nodeName();
        this.lease = database.settings().roundLease();
    }

    @Override
    public Optional<Lease> take() {
        Connection session;
        try {
            session = database.session();
        } catch (SQLException e) {
            // the heartbeat says it once (ClusterHeartbeat), not each tick
            LOG.debug("Skipping this cron tick: the cluster database cannot be reached ({})", Sql.reason(e));
            return Optional.empty();
        }
        try {
            if (!lock(session) && !takeOverFrozen(session)) {
                close(session);
                return Optional.empty();
            }
            try (PreparedStatement mine = session.prepareStatement("UPDATE cluster_rounds SET running_node = ?,"
                    + " running_pid = pg_backend_pid(), running_since = now(),"
                    + " lease_until = now() + ? * interval '1 millisecond', tick_missed = false WHERE id = 1")) {
                mine.setString(1, node);
                mine.setLong(2, lease.toMillis());
                mine.executeUpdate();
            }
            Session taken = new Session(session, handedOver(session));
            running.add(taken);
            return Optional.of(taken);
        } catch (SQLException | InterruptedException e) {
            close(session);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Skipping this cron tick: the cluster database failed ({})", Sql.reason(e));
            return Optional.empty();
        }
    }

    /** The problem checks' memory of the cluster's last round, unless this node wrote it or took it already. */
    private Optional<MonitorProblems.Memory> handedOver(Connection session) throws SQLException {
        try (PreparedStatement query = session.prepareStatement(
                "SELECT problem_memory, memory_seq FROM cluster_rounds WHERE id = 1");
             ResultSet row = query.executeQuery()) {
            if (!row.next() || row.getString(1) == null || row.getLong(2) <= memorySeen.get()) {
                return Optional.empty();
            }
            memorySeen.set(row.getLong(2));
            try {
                return Optional.of(json.readValue(row.getString(1), MonitorProblems.Memory.class));
            } catch (IOException e) {
                LOG.warn("The problem checks' memory of the last round cannot be read ({}); this round starts"
                        + " counting afresh", e.getMessage());
                return Optional.empty();
            }
        }
    }

    private static boolean lock(Connection session) throws SQLException {
        try (PreparedStatement lock = session.prepareStatement(
                "SELECT pg_try_advisory_lock(hashtext(current_schema()), ?)")) {
            lock.setInt(1, ROUND_LOCK);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /** Another node holds the round: skip the tick, unless that node stopped renewing its lease (it is frozen). */
    private boolean takeOverFrozen(Connection session) throws SQLException, InterruptedException {
        Optional<Holder> holder = holder(session);
        if (holder.isEmpty() || !holder.get().expired()) {
            holder.ifPresentOrElse(
                    running -> LOG.info("Skipping this cron tick: node {} runs the round it started at {}",
                            running.node(), running.since()),
                    () -> LOG.info("Skipping this cron tick: another node is starting a round"));
            return false;
        }
        LOG.warn("Node {} has not renewed the lease of the round it started at {} for {} s (frozen or cut off):"
                + " ending its database session and running the round here", holder.get().node(),
                holder.get().since(), lease.toSeconds());
        try (PreparedStatement end = session.prepareStatement("SELECT pg_terminate_backend(?)")) {
            end.setInt(1, holder.get().pid());
            end.execute();
        }
        // the lock goes with the session as soon as PostgreSQL has ended it
        for (int attempt = 0; attempt < 40; attempt++) {
            if (lock(session)) {
                return true;
            }
            Thread.sleep(50);
        }
        LOG.warn("Skipping this cron tick: the session of node {} did not end in time", holder.get().node());
        return false;
    }

    /**
     * The database's clock says when another node's round began, and that node's clock when it found a failure: the
     * two agree to within the clocks' skew, which at worst announces a failure at once instead of with its round.
     */
    @Override
    public Optional<Instant> runningSince() {
        try (Connection connection = database.connection();
             PreparedStatement query = connection.prepareStatement("SELECT running_since FROM cluster_rounds"
                     + " WHERE id = 1 AND running_pid IS NOT NULL AND running_node <> ?")) {
            query.setString(1, node);
            try (ResultSet row = query.executeQuery()) {
                Timestamp since = row.next() ? row.getTimestamp(1) : null;
                return Optional.ofNullable(since).map(Timestamp::toInstant);
            }
        } catch (SQLException e) {
            // the delivery pass itself cannot read the shared state either; it says so
            return Optional.empty();
        }
    }

    private static Optional<Holder> holder(Connection session) throws SQLException {
        try (PreparedStatement query = session.prepareStatement("SELECT running_node, running_pid, running_since,"
                + " lease_until < now() FROM cluster_rounds WHERE id = 1 AND running_pid IS NOT NULL");
             ResultSet row = query.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            Timestamp since = row.getTimestamp(3);
            return Optional.of(new Holder(row.getString(1), row.getInt(2),
                    since == null ? Instant.EPOCH : since.toInstant(), row.getBoolean(4)));
        }
    }

    /** Renews the lease of each round this node runs; a round whose lease is gone stops handing out TMs. */
    void renew() {
        for (Session session : running) {
            synchronized (session.connection) {
                renew(session);
            }
        }
    }

    private void renew(Session session) {
        try (PreparedStatement renew = session.connection.prepareStatement("UPDATE cluster_rounds"
                + " SET lease_until = now() + ? * interval '1 millisecond'"
                + " WHERE id = 1 AND running_pid = pg_backend_pid()")) {
            renew.setLong(1, lease.toMillis());
            if (renew.executeUpdate() == 0) {
                lost(session, "another node took it over");
            }
        } catch (SQLException e) {
            lost(session, Sql.reason(e));
        }
    }

    private void lost(Session session, String why) {
        if (session.held) {
            session.held = false;
            LOG.warn("This node lost the round it was running ({}): it hands out no more TMs", why);
        }
    }

    /**
     * Marked only while a round runs: a tick that found a round still starting is covered by that round. A tick
     * marked between the running round's end and the next start is not caught up; the next tick comes as usual.
     */
    @Override
    public void tickMissed() {
        try (Connection connection = database.connection();
             PreparedStatement missed = connection.prepareStatement(
                     "UPDATE cluster_rounds SET tick_missed = true WHERE id = 1 AND running_pid IS NOT NULL")) {
            missed.executeUpdate();
        } catch (SQLException e) {
            LOG.debug("The skipped tick is not recorded for a catch-up: {}", Sql.reason(e));
        }
    }

    @Override
    public boolean finished(Lease lease, boolean successful, MonitorProblems.Memory memory) {
        if (!(lease instanceof Session session) || !running.remove(session)) {
            return false;
        }
        synchronized (session.connection) {
            return end(session, successful, memory);
        }
    }

    /** @return whether a tick on another node was skipped during the round */
    private boolean end(Session session, boolean successful, MonitorProblems.Memory memory) {
        // the sub-select sees the row as it was before this update, so it reads the mark this update clears
        try (PreparedStatement end = session.connection.prepareStatement("UPDATE cluster_rounds SET"
                + " running_node = NULL, running_pid = NULL, running_since = NULL, lease_until = NULL,"
                + " last_round_node = ?, last_round_end = now(),"
                + " last_success_node = CASE WHEN ? THEN ? ELSE last_success_node END,"
                + " last_success_end = CASE WHEN ? THEN now() ELSE last_success_end END,"
                + " problem_memory = ?, memory_seq = memory_seq + 1, tick_missed = false"
                + " WHERE id = 1 AND running_pid = pg_backend_pid()"
                + " RETURNING memory_seq, (SELECT tick_missed FROM cluster_rounds WHERE id = 1)")) {
            end.setString(1, node);
            end.setBoolean(2, successful);
            end.setString(3, node);
            end.setBoolean(4, successful);
            end.setString(5, json.writeValueAsString(memory));
            try (ResultSet written = end.executeQuery()) {
                if (written.next()) {
                    memorySeen.set(written.getLong(1));
                    return written.getBoolean(2);
                }
                return false;
            }
        } catch (SQLException | IOException e) {
            LOG.debug("The end of a round lost with its session is not recorded: {}", Sql.reason(e));
            return false;
        } finally {
            unlock(session.connection);
            close(session.connection);
        }
    }

    /** The cluster's last round and last successful round, as the nodes that ran them recorded them. */
    View view(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT last_round_node, last_success_end FROM cluster_rounds WHERE id = 1")) {
            // a database that hangs holds a scrape or a check-in at most this long, not until TCP gives up
            query.setQueryTimeout((int) Math.max(1, database.settings().checkinInterval().toSeconds()));
            return view(query);
        }
    }

    private static View view(PreparedStatement query) throws SQLException {
        try (ResultSet row = query.executeQuery()) {
            if (!row.next()) {
                return new View(Optional.empty(), Optional.empty());
            }
            Timestamp success = row.getTimestamp(2);
            return new View(Optional.ofNullable(row.getString(1)),
                    Optional.ofNullable(success).map(Timestamp::toInstant));
        }
    }

    /**
     * Released before the session ends: closing it releases the lock too, but only once the server has ended the
     * session, which the next node's tick may come before.
     */
    private static void unlock(Connection connection) {
        try (PreparedStatement unlock = connection.prepareStatement(
                "SELECT pg_advisory_unlock(hashtext(current_schema()), ?)")) {
            unlock.setInt(1, ROUND_LOCK);
            unlock.execute();
        } catch (SQLException e) {
            // the session is gone, and the lock with it
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already gone
        }
    }
}
