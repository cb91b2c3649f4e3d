package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.state.Decision;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentState;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Writes the decisions of the incident pipeline into each incident's record ({@link Decision}): the notices sent, and
 * those held back with their reason, where each decision is taken (the planner, the delivery's error handler, the
 * claims of a cluster, the monitor's problems). A reason held back again is written once, not at each pass
 * ({@link IncidentState#decided}). {@code node} is the cluster node name, or the host of a single process.
 */
public final class DecisionRecord {

    private final IncidentState state;
    private final String node;

    public DecisionRecord(IncidentState state, String node) {
        this.state = state;
        this.node = node;
    }

    /** What the record calls a notice: alert, digest, reminder, resolved, or fallback when one stands in. */
    static String noticeName(Notice notice) {
        return notice.isFallback() ? "fallback" : notice.kind().name().toLowerCase(Locale.ROOT);
    }

    /** The decision "sent" for the incidents of a notice its channel took, to {@code destination}. */
    Decision sent(Notice notice, String destination) {
        Decision.Reason reason = null;
        String detail = null;
        if (notice.isFallback()) {
            reason = Decision.Reason.FALLBACK;
            detail = "the " + notice.kind().name().toLowerCase(Locale.ROOT) + " for " + notice.onBehalfOf()
                    + (notice.isList() ? ", one message listing " + notice.incidents().size() : "");
        } else if (notice.isList()) {
            reason = notice.kind() == Notice.Kind.DIGEST ? Decision.Reason.DIGESTED : null;
            detail = "one message listing " + notice.incidents().size() + " " + notice.incident().kind()
                    + " incidents";
        }
        return Decision.sent(state.now(), notice.channel(), destination, noticeName(notice), reason, detail, node);
    }

    /** Each incident of {@code notice} was held back on its channel for {@code reason}. */
    public void held(Notice notice, Decision.Reason reason, String detail) {
        held(notice, notice.destination(), reason, detail);
    }

    /** As {@link #held(Notice, Decision.Reason, String)}, to {@code destination}: one journal sync for a digest. */
    public void held(Notice notice, String destination, Decision.Reason reason, String detail) {
        Instant now = state.now();
        state.decidedAll(notice.incidents().stream().map(incident -> Map.entry(incident.key(), Decision.held(now,
                notice.channel(), destination, noticeName(notice), reason, detail, node))).toList());
    }

    /** The {@code notice} (alert, reminder, resolved) of {@code incident} was held back on {@code channel}. */
    public void held(Incident incident, String channel, String destination, String notice, Decision.Reason reason,
                     String detail) {
        state.decided(incident.key(), Decision.held(state.now(), channel, destination, notice, reason, detail, node));
    }

    /**
     * The routing rules failed for this problem (the body; route configuration {@code problem-routing}): it stays
     * unrouted and is routed again at the next check; its record says why it was not told. Our own words for a rule
     * that named no or an unknown channel; only the kind of error for another, whose message may come from anywhere.
     */
    public void problemNotRouted(Exchange exchange) {
        Incident incident = exchange.getMessage().getBody(Incident.class);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String why = failure instanceof IllegalArgumentException ours ? ours.getMessage()
                : "a routing rule failed" + (failure == null ? "" : " (" + failure.getClass().getSimpleName() + ")");
        if (incident != null) {
            held(incident, null, null, "alert", Decision.Reason.NOT_ROUTED, why + "; routed again at the next check");
        }
    }

    /** The {@code notice} of each of {@code incidents} was held back on {@code channel}: one journal sync for all. */
    public void heldAll(List<Incident> incidents, String channel, String notice, Decision.Reason reason,
                        String detail) {
        if (incidents.isEmpty()) {
            return;
        }
        Instant now = state.now();
        state.decidedAll(incidents.stream().map(incident -> Map.entry(incident.key(), Decision.held(now, channel,
                incident.routing() == null ? null : incident.routing().destination(channel), notice, reason, detail,
                node))).toList());
    }

    /**
     * A silence (the {@code Silences} of the planner) held the notice back: {@code silence} names it (its id and
     * who set it, or its matcher), for {@code history}.
     */
    public void silenced(Incident incident, String channel, String destination, String notice, String silence) {
        held(incident, channel, destination, notice, Decision.Reason.SILENCED, silence);
    }
}
