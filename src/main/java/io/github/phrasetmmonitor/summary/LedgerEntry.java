package io.github.phrasetmmonitor.summary;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One line of the summaries' ledger, one of five types: a round's checks by outcome ({@code round}), an incident
 * detected or ended ({@code detected}, {@code ended}), the end of a summary period with what was still open then
 * ({@code due}), and a summary a channel took for one destination ({@code sent}, {@code at} = the period's end). Only
 * uids, names, keys, counts and times: never a secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerEntry(
        String type,
        Instant at,
        Map<String, Long> outcomes,
        String kind,
        String key,
        String tmUid,
        String tmName,
        Instant detectedAt,
        Boolean superseded,
        Integer openTasks,
        List<OpenProblem> openProblems,
        String channel,
        String destination) {

    public static final String ROUND = "round";
    public static final String DETECTED = "detected";
    public static final String ENDED = "ended";
    public static final String DUE = "due";
    public static final String SENT = "sent";

    /** A problem of the monitor open when a period ended, and since when. */
    public record OpenProblem(String key, Instant since) {
    }

    static LedgerEntry round(Instant at, Map<String, Long> outcomes) {
        return new LedgerEntry(ROUND, at, Map.copyOf(outcomes), null, null, null, null, null, null, null, null, null,
                null);
    }

    static LedgerEntry detected(Instant at, String kind, String key, String tmUid, String tmName) {
        return new LedgerEntry(DETECTED, at, null, kind, key, tmUid, tmName, at, null, null, null, null, null);
    }

    static LedgerEntry ended(Instant at, String kind, String key, String tmUid, String tmName, Instant detectedAt,
                             boolean superseded) {
        return new LedgerEntry(ENDED, at, null, kind, key, tmUid, tmName, detectedAt, superseded ? true : null, null,
                null, null, null);
    }

    static LedgerEntry due(Instant at, int openTasks, List<OpenProblem> openProblems) {
        return new LedgerEntry(DUE, at, null, null, null, null, null, null, null, openTasks, List.copyOf(openProblems),
                null, null);
    }

    static LedgerEntry sent(Instant periodEnd, String channel, String destination) {
        return new LedgerEntry(SENT, periodEnd, null, null, null, null, null, null, null, null, null, channel,
                destination);
    }

    boolean is(String wanted) {
        return wanted.equals(type);
    }

    boolean isSuperseded() {
        return Boolean.TRUE.equals(superseded);
    }
}
