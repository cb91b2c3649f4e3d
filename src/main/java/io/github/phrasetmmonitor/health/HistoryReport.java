package io.github.phrasetmmonitor.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.phrasetmmonitor.state.Decision;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.IncidentState.HistoryEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The decision record of incidents as ops read it: one line per decision, oldest first (operator tool
 * {@code history}), or the same as JSON (GET /observe/history on the management port). Both show the newest
 * {@link #MAX_ENTRIES} decisions at most; the record holds webhook and Slack channel names and email addresses, never
 * a secret.
 */
public final class HistoryReport {

    /** The most decisions one answer shows: the newest, still oldest first. */
    public static final int MAX_ENTRIES = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Which decisions: of a TM (its uid), of an incident (its task id, problem key or key id), from, until (ISO-8601
     * instants, inclusive); each may be null.
     */
    public record Query(String tmUid, String incident, Instant since, Instant until) {

        /** From the query parameters of /observe/history: tm, incident, since, until. */
        public static Query of(Map<String, String> parameters) {
            return new Query(blankToNull(parameters.get("tm")), blankToNull(parameters.get("incident")),
                    instant("since", parameters.get("since")), instant("until", parameters.get("until")));
        }

        public static Instant instant(String name, String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-12-07T09:00:00Z,"
                        + " not '" + text.trim() + "'");
            }
        }

        private static String blankToNull(String text) {
            return text == null || text.isBlank() ? null : text.trim();
        }
    }

    /** What {@code state} recorded for {@code query}: the newest MAX_ENTRIES, oldest first, and whether cut. */
    public record Answer(List<HistoryEntry> entries, boolean truncated) {

        public static Answer of(IncidentState state, Query query) {
            List<HistoryEntry> all = state.history(query.tmUid(), query.incident(), query.since(), query.until());
            return all.size() <= MAX_ENTRIES ? new Answer(all, false)
                    : new Answer(List.copyOf(all.subList(all.size() - MAX_ENTRIES, all.size())), true);
        }
    }

    private HistoryReport() {
    }

    /** One line per decision, oldest first: when, which incident, what was decided. */
    public static List<String> lines(Answer answer) {
        return answer.entries().stream().map(HistoryReport::line).toList();
    }

    static String line(HistoryEntry entry) {
        return entry.decision().at() + "  " + entry.key() + ": " + entry.decision().describe();
    }

    /** The same as JSON: {"entries":[…],"truncated":…}, one object per decision. */
    public static String json(Answer answer) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode entries = root.putArray("entries");
        for (HistoryEntry entry : answer.entries()) {
            Decision decision = entry.decision();
            ObjectNode node = entries.addObject();
            node.put("at", decision.at().toString());
            node.put("incident", entry.key().id());
            putIfSet(node, "tmUid", entry.tmUid());
            node.put("outcome", decision.sent() ? "sent" : "held back");
            node.put("notice", decision.notice());
            putIfSet(node, "channel", decision.channel());
            putIfSet(node, "destination", decision.destination());
            if (decision.reason() != null) {
                node.put("reason", decision.reason().words());
            }
            putIfSet(node, "detail", decision.detail());
            putIfSet(node, "node", decision.node());
            node.put("line", line(entry));
        }
        root.put("truncated", answer.truncated());
        return root.toString();
    }

    private static void putIfSet(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
