package io.github.phrasetmmonitor.summary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one summary says, for the period {@code (from, to]}: rounds and checks by outcome, the tasks that failed and got
 * stuck in it, how many were still open at its end, the time to resolve of the task incidents that ended in it
 * (median and worst; a failure superseded by a newer failure of its TM did not end), the TMs with the most failed
 * tasks, and the monitor's own problems with how long each lasted (to the period's end for one still open).
 */
public record SummaryReport(
        Instant from,
        Instant to,
        int rounds,
        Map<String, Long> checks,
        int failedTasks,
        int stuckTasks,
        int stillOpen,
        int resolved,
        Duration medianToResolve,
        Duration worstToResolve,
        List<TmFailures> failingMost,
        List<ProblemSpan> problems) {

    /** The outcomes in the order a summary lists them; others (an outcome added later) follow. */
    static final List<String> OUTCOMES = List.of("OK", "OK_WITH_WARNINGS", "FAILED", "RUNNING", "NO_TASK", "ERROR");

    public record TmFailures(String tmUid, String tmName, int count) {
    }

    /** A problem of the monitor: from {@code since} for {@code lasted}; {@code ongoing} when still open at the end. */
    public record ProblemSpan(String key, Instant since, Duration lasted, boolean ongoing) {
    }

    public long totalChecks() {
        return checks.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The report over {@code entries} with {@code at} in {@code (from, due.at]} ({@code from} null: everything up to
     * it), the period's end and what was open then taken from {@code due}.
     *
     * @param since shown as the period's start when {@code from} is null: the first record, or the start-up
     */
    static SummaryReport of(List<LedgerEntry> entries, Instant from, Instant since, LedgerEntry due, int topTms) {
        Instant to = due.at();
        List<LedgerEntry> period = entries.stream()
                .filter(entry -> (from == null || entry.at().isAfter(from)) && !entry.at().isAfter(to))
                .toList();
        int rounds = 0;
        Map<String, Long> checks = new LinkedHashMap<>();
        OUTCOMES.forEach(outcome -> checks.put(outcome, 0L));
        int failed = 0;
        int stuck = 0;
        List<Duration> toResolve = new ArrayList<>();
        Map<String, TmFailures> byTm = new HashMap<>();
        Map<String, ProblemSpan> problems = new LinkedHashMap<>();
        Set<String> openAtEnd = due.openProblems().stream().map(LedgerEntry.OpenProblem::key)
                .collect(Collectors.toSet());
        for (LedgerEntry entry : period) {
            switch (entry.type()) {
                case LedgerEntry.ROUND -> {
                    rounds++;
                    entry.outcomes().forEach((outcome, count) -> checks.merge(outcome, count, Long::sum));
                }
                case LedgerEntry.DETECTED -> {
                    if ("task-failed".equals(entry.kind())) {
                        failed++;
                        byTm.merge(entry.tmUid(), new TmFailures(entry.tmUid(), entry.tmName(), 1),
                                (known, one) -> new TmFailures(known.tmUid(), one.tmName() == null ? known.tmName()
                                        : one.tmName(), known.count() + 1));
                    } else if ("task-stuck".equals(entry.kind())) {
                        stuck++;
                    } else if ("problem".equals(entry.kind())) {
                        boolean ongoing = openAtEnd.contains(entry.key());
                        problems.put(entry.key() + "@" + entry.at(), new ProblemSpan(entry.key(), entry.at(),
                                Duration.between(entry.at(), to), ongoing));
                    }
                }
                case LedgerEntry.ENDED -> {
                    Duration lasted = Duration.between(entry.detectedAt(), entry.at());
                    if ("problem".equals(entry.kind())) {
                        problems.put(entry.key() + "@" + entry.detectedAt(),
                                new ProblemSpan(entry.key(), entry.detectedAt(), lasted, false));
                    } else if (!entry.isSuperseded()) {
                        toResolve.add(lasted);
                    }
                }
                default -> {
                    // due and sent lines mark periods; they count nothing
                }
            }
        }
        for (LedgerEntry.OpenProblem open : due.openProblems()) {
            problems.putIfAbsent(open.key() + "@" + open.since(),
                    new ProblemSpan(open.key(), open.since(), Duration.between(open.since(), to), true));
        }
        toResolve.sort(Comparator.naturalOrder());
        List<TmFailures> failingMost = byTm.values().stream()
                .sorted(Comparator.comparingInt(TmFailures::count).reversed()
                        .thenComparing(TmFailures::tmUid))
                .limit(topTms)
                .toList();
        Instant start = from != null ? from
                : period.stream().map(LedgerEntry::at).min(Comparator.naturalOrder()).filter(first -> first
                        .isBefore(since)).orElse(since);
        return new SummaryReport(start, to, rounds, checks, failed, stuck, due.openTasks(), toResolve.size(),
                median(toResolve), toResolve.isEmpty() ? null : toResolve.get(toResolve.size() - 1), failingMost,
                problems.values().stream().sorted(Comparator.comparing(ProblemSpan::since)
                        .thenComparing(ProblemSpan::key)).toList());
    }

    /** The middle one; for an even count, halfway between the two middle ones. Null when none. */
    static Duration median(List<Duration> sorted) {
        if (sorted.isEmpty()) {
            return null;
        }
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle)
                : sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2);
    }
}
