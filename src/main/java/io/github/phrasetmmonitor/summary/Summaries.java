package io.github.phrasetmmonitor.summary;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.metrics.MonitorMetrics;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentChanges;
import io.github.phrasetmmonitor.state.IncidentState;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled summaries (alert.summary-cron): keeps their ledger, fed by the incident state (an incident detected
 * or ended) and the rounds (one line per round with its checks by outcome, never one per check), closes a period when
 * the cron fires, and says which summaries are owed: one per channel and destination, for the period since the last
 * one that destination took. A summary is recorded as sent only once its channel took it, so a restart does not send
 * it again and one that failed goes with the next delivery pass, covering the longer period then.
 */
public final class Summaries implements IncidentChanges, MonitorMetrics.RoundTally {

    /** How long after a period's end a cluster waits for the other nodes' lines stamped before it. */
    static final java.time.Duration CLUSTER_SETTLE = java.time.Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.summary");

    /** Where a summary goes: a channel and its default destination. */
    public record Target(String channel, String destination) {
    }

    private final SummaryLedger ledger;
    private final Clock clock;
    private final List<Target> targets;
    private final int topTms;
    private final Supplier<List<Incident>> openIncidents;
    private final Instant startedAt;
    private final ObjectMapper json = IncidentState.mapper();
    private final Map<String, LongAdder> checks = new ConcurrentHashMap<>();

    public Summaries(SummaryLedger ledger, Clock clock, List<Target> targets, int topTms,
                     Supplier<List<Incident>> openIncidents) {
        this.ledger = ledger;
        this.clock = clock;
        this.targets = List.copyOf(targets);
        this.topTms = topTms;
        this.openIncidents = openIncidents;
        this.startedAt = clock.instant();
    }

    // --- the hooks ---------------------------------------------------------------------------------------------

    @Override
    public void checked(String outcome) {
        checks.computeIfAbsent(outcome, key -> new LongAdder()).increment();
    }

    @Override
    public void roundFinished() {
        Map<String, Long> counts = new TreeMap<>();
        checks.forEach((outcome, count) -> {
            long taken = count.sumThenReset();
            if (taken > 0) {
                counts.put(outcome, taken);
            }
        });
        write(LedgerEntry.round(clock.instant(), counts));
    }

    @Override
    public void changed(Incident before, Incident after, boolean superseded) {
        Instant now = clock.instant();
        if (before == null && after != null) {
            write(LedgerEntry.detected(after.detectedAt() == null ? now : after.detectedAt(), after.kind(),
                    keyOf(after), after.tmUid(), nameOf(after)));
        } else if (before != null && !before.isResolved() && (after == null || after.isResolved())) {
            Instant ended = after != null && after.resolution().at() != null ? after.resolution().at() : now;
            write(LedgerEntry.ended(ended, before.kind(), keyOf(before), before.tmUid(), nameOf(before),
                    before.detectedAt(), superseded));
        }
    }

    private static String keyOf(Incident incident) {
        return incident.isProblem() ? incident.problemKey() : incident.key().id();
    }

    private static String nameOf(Incident incident) {
        return incident.isProblem() ? incident.problemTmName() : incident.facts().tmName();
    }

    /** A ledger that cannot be written costs the summary a line, never a check or an alert. */
    private void write(LedgerEntry entry) {
        try {
            ledger.append(json.writeValueAsString(entry));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Summaries: cannot record a {} line in {}: {}", entry.type(), ledger.describe(), e.getMessage());
        }
    }

    // --- the periods and their deliveries ----------------------------------------------------------------------

    /** The cron fired: the period ends now, with what is still open now. */
    public void periodEnded() {
        List<LedgerEntry.OpenProblem> problems = new ArrayList<>();
        int openTasks = 0;
        for (Incident incident : openIncidents.get()) {
            if (incident.isResolved()) {
                continue;
            }
            if (incident.isProblem()) {
                problems.add(new LedgerEntry.OpenProblem(incident.problemKey(), incident.detectedAt()));
            } else {
                openTasks++;
            }
        }
        write(LedgerEntry.due(clock.instant(), openTasks, problems));
    }

    /** Begins a delivery pass, unless another one (here or, in a cluster, on another node) is under way. */
    public boolean beginPass() {
        return ledger.tryLock();
    }

    public void endPass() {
        ledger.unlock();
    }

    /** The summaries owed: for each target that has not taken the last period, the period since its last one. */
    public List<SummaryDelivery> pending() {
        List<LedgerEntry> entries = entries();
        // in a cluster, another node's line stamped before the period's end may arrive a moment after it: a period is
        // summarised once that moment has passed (the retry trigger sends it), so the line is counted, not lost
        // between two periods; one process orders its own lines (they are written under the incident state's lock)
        LedgerEntry due = lastDue(entries, ledger.shared() ? clock.instant().minus(CLUSTER_SETTLE) : null);
        if (due == null) {
            return List.of();
        }
        Map<Target, Instant> sent = lastSent(entries);
        List<SummaryDelivery> owed = new ArrayList<>();
        for (Target target : targets) {
            Instant from = sent.get(target);
            if (from == null || from.isBefore(due.at())) {
                owed.add(new SummaryDelivery(target.channel(), target.destination(),
                        SummaryReport.of(entries, from, startedAt, due, topTms)));
            }
        }
        return owed;
    }

    /** The channel took it: recorded, and the ledger pruned past the last summary every target took. */
    public void delivered(SummaryDelivery delivery) {
        write(LedgerEntry.sent(delivery.report().to(), delivery.channel(), delivery.destination()));
        LOG.info("{} {} sent", io.github.phrasetmmonitor.alert.Notice.titleOf(delivery.channel()),
                delivery.describe());
        prune();
    }

    public void notDelivered(SummaryDelivery delivery, Exception failure) {
        LOG.warn("{} {} not delivered: {}; tried again at the next delivery pass",
                io.github.phrasetmmonitor.alert.Notice.titleOf(delivery.channel()), delivery.describe(),
                failure == null ? "unknown failure" : failure.getMessage());
    }

    private void prune() {
        List<String> lines = ledger.lines();
        List<LedgerEntry> entries = read(lines);
        Map<Target, Instant> sent = lastSent(entries);
        if (!sent.keySet().containsAll(targets)) {
            return;
        }
        Instant cutoff = targets.stream().map(sent::get).min(Instant::compareTo).orElseThrow();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            LedgerEntry entry = entries.get(i);
            if (entry == null) {
                continue;
            }
            boolean lastSentOfTarget = entry.is(LedgerEntry.SENT)
                    && entry.at().equals(sent.get(new Target(entry.channel(), entry.destination())));
            if (entry.at().isAfter(cutoff) || lastSentOfTarget) {
                kept.add(lines.get(i));
            }
        }
        try {
            ledger.replace(kept);
        } catch (RuntimeException e) {
            LOG.warn("Summaries: cannot prune {}: {}", ledger.describe(), e.getMessage());
        }
    }

    private List<LedgerEntry> entries() {
        return read(ledger.lines()).stream().filter(java.util.Objects::nonNull).toList();
    }

    /** The entries of {@code lines}, position for position; null for a line that cannot be read. */
    private List<LedgerEntry> read(List<String> lines) {
        List<LedgerEntry> entries = new ArrayList<>(lines.size());
        for (String line : lines) {
            try {
                entries.add(json.readValue(line, LedgerEntry.class));
            } catch (IOException | RuntimeException unreadable) {
                entries.add(null);
            }
        }
        return entries;
    }

    /** The latest period's end, of those at or before {@code settled} (null: any). */
    private static LedgerEntry lastDue(List<LedgerEntry> entries, Instant settled) {
        LedgerEntry last = null;
        for (LedgerEntry entry : entries) {
            if (entry != null && entry.is(LedgerEntry.DUE) && (settled == null || !entry.at().isAfter(settled))
                    && (last == null || !entry.at().isBefore(last.at()))) {
                last = entry;
            }
        }
        return last;
    }

    private static Map<Target, Instant> lastSent(List<LedgerEntry> entries) {
        Map<Target, Instant> sent = new HashMap<>();
        for (LedgerEntry entry : entries) {
            if (entry != null && entry.is(LedgerEntry.SENT)) {
                sent.merge(new Target(entry.channel(), entry.destination()), entry.at(),
                        (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return sent;
    }
}
