package io.github.phrasetmmonitor.cluster;

import io.github.phrasetmmonitor.alert.DecisionRecord;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.alert.NoticeClaims;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.Decision;
import io.github.phrasetmmonitor.state.IncidentState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims in table {@code delivery_claims}, one row per incident and channel, taken in the same transaction and under
 * the same lock as the incident state's changes ({@link IncidentState#whileUnchanged}):
 * <ul>
 *   <li>a notice is claimed only when every incident in it is still exactly as planned, so a notice another node
 *   already sent and recorded is not sent again;</li>
 *   <li>and only when no live node holds a claim on one of them, so two nodes that planned the same notice at the same
 *   time do not both send it;</li>
 *   <li>a node renews its claims while it lives ({@link #renew}); a claim not renewed for {@code cluster.claim-lease}
 *   (its node died mid-send) may be taken over, so at most that one notice is sent twice, and none is lost.</li>
 * </ul>
 */
public final class PostgresNoticeClaims implements NoticeClaims {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.cluster");

    private final ClusterDatabase database;
    private final PostgresIncidentLog log;
    private final IncidentState state;
    private final String node;
    private final Duration lease;
    private final DecisionRecord decisions;

    public PostgresNoticeClaims(ClusterDatabase database, PostgresIncidentLog log, IncidentState state) {
        this(database, log, state, new DecisionRecord(state, database.settings().nodeName()));
    }

    /** @param decisions where a notice another node holds the claim of is recorded as held back here */
    public PostgresNoticeClaims(ClusterDatabase database, PostgresIncidentLog log, IncidentState state,
                                DecisionRecord decisions) {
        this.decisions = decisions;
        this.database = database;
        this.log = log;
        this.state = state;
        this.node = database.settings().nodeName();
        this.lease = database.settings().claimLease();
    }

    @Override
    public boolean claim(Notice notice) {
        List<String> keys = keys(notice);
        String[] holder = new String[1];
        boolean claimed = state.whileUnchanged(notice.incidents(),
                () -> insert(log.transaction(), notice, keys, holder));
        if (!claimed) {
            LOG.debug("{} on {}: another node sends it or sent it; not sent here", notice.summary(), notice.channel());
            if (holder[0] != null) {
                // recorded after the claim's transaction: a change of the state of its own
                decisions.held(notice, Decision.Reason.CLAIMED_ELSEWHERE, "node " + holder[0] + " is sending it");
            }
        }
        return claimed;
    }

    /** @param holder set to the live node that holds the claim, when that is why this one gets none */
    private boolean insert(Connection transaction, Notice notice, List<String> keys, String[] holder) {
        try {
            Array keyArray = transaction.createArrayOf("text", keys.toArray());
            List<String> expired = new ArrayList<>();
            try (PreparedStatement held = transaction.prepareStatement("SELECT node, expires_at < now()"
                    + " FROM delivery_claims WHERE channel = ? AND incident_key = ANY(?) AND node <> ?")) {
                held.setString(1, notice.channel());
                held.setArray(2, keyArray);
                held.setString(3, node);
                try (ResultSet rows = held.executeQuery()) {
                    while (rows.next()) {
                        if (!rows.getBoolean(2)) {
                            holder[0] = rows.getString(1);
                            return false; // a live node is sending it
                        }
                        expired.add(rows.getString(1));
                    }
                }
            }
            if (!expired.isEmpty()) {
                LOG.warn("{} on {} was claimed by node {}, which has not renewed the claim for {} s (it stopped):"
                        + " sending it here; it may have been sent once already", notice.summary(),
                        notice.channel(), String.join(", ", expired.stream().distinct().toList()),
                        lease.toSeconds());
            }
            try (PreparedStatement claim = transaction.prepareStatement("INSERT INTO delivery_claims"
                    + " (incident_key, channel, node, expires_at)"
                    + " SELECT key, ?, ?, now() + ? * interval '1 millisecond' FROM unnest(?) AS key"
                    + " ON CONFLICT (incident_key, channel)"
                    + " DO UPDATE SET node = EXCLUDED.node, expires_at = EXCLUDED.expires_at")) {
                claim.setString(1, notice.channel());
                claim.setString(2, node);
                claim.setLong(3, lease.toMillis());
                claim.setArray(4, keyArray);
                claim.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw new io.github.phrasetmmonitor.state.StateUnavailableException(
                    "cannot claim a notice: " + Sql.reason(e), e);
        }
    }

    @Override
    public void release(Notice notice) {
        try (Connection connection = database.connection();
             PreparedStatement release = connection.prepareStatement("DELETE FROM delivery_claims"
                     + " WHERE channel = ? AND node = ? AND incident_key = ANY(?)")) {
            release.setString(1, notice.channel());
            release.setString(2, node);
            release.setArray(3, connection.createArrayOf("text", keys(notice).toArray()));
            release.executeUpdate();
        } catch (SQLException e) {
            // the claim lapses after cluster.claim-lease; the delivery was recorded (or not) all the same
            LOG.warn("Could not release the claim of {} on {}: {}; it lapses in {} s", notice.summary(),
                    notice.channel(), Sql.reason(e), lease.toSeconds());
        } finally {
            state.sendOver(notice.incidents());
        }
    }

    /** Keeps this node's claims alive while it sends (retries within the round may take a while). */
    void renew(Connection connection) throws SQLException {
        try (PreparedStatement renew = connection.prepareStatement("UPDATE delivery_claims"
                + " SET expires_at = now() + ? * interval '1 millisecond' WHERE node = ?")) {
            renew.setLong(1, lease.toMillis());
            renew.setString(2, node);
            renew.executeUpdate();
        }
    }

    /**
     * Closes what was resolved, untold, longer than a claim's lease ago: a node sending its alert then has recorded
     * it or lost its claim since.
     */
    void closeResolvedUntold() {
        state.closeResolvedUntold(state.now().minus(lease));
    }

    private static List<String> keys(Notice notice) {
        return notice.incidents().stream().map(Incident::key).map(io.github.phrasetmmonitor.state.IncidentKey::id)
                .distinct().toList();
    }
}
