package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's one memory of incidents, failed tasks and its own problems alike, kept in
 * {@code monitor.state-dir/incidents.journal} so that "alert once", reminders, pending alerts, resolved notices and
 * recoveries hold across restarts.
 *
 * <p>One {@link Incident} per failed task (TM uid and task id) or problem (its key) from detection until it is closed.
 * Every change is one appended, fsynced JSON line holding the whole new record (the last line for a key wins);
 * closing writes a tombstone, kept for tasks so a closed task is never alerted again. A delivery is written only after
 * the channel took it, so a crash mid-delivery at worst sends that one message again. A line torn by a crash is
 * ignored and the journal is rewritten compactly on start.
 *
 * <p>Upgrade: when there is no incidents journal yet, the journals of the releases before it are read once
 * ({@link LegacyJournals}): {@code alerts-sent.journal} (its records and tombstones, and the 0.1 ledger lines) and
 * {@code monitor-problems.journal}. What they knew is written to the new journal, then they are renamed
 * {@code *.upgraded}, so nothing is sent twice and nothing open is forgotten.
 *
 * <p>The journal holds Phrase's text, webhook names and email addresses, never a secret.
 */
public final class IncidentState extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.alert");
    public static final String JOURNAL = "incidents.journal";

    /**
     * One journal line: either an incident, or the tombstone of a closed one with its decision record while that is
     * kept ({@code alert.history.retention}). "failure" is the 0.x name.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(@JsonAlias("failure") Incident incident, IncidentKey closed, ClosedRecord history) {

        Line(Incident incident, IncidentKey closed) {
            this(incident, closed, null);
        }
    }

    /** The decision record of a closed incident: when it was closed, the TM it was about, its decisions. */
    record ClosedRecord(Instant at, String tmUid, List<Decision> decisions) {
        ClosedRecord {
            decisions = List.copyOf(decisions == null ? List.of() : decisions);
        }
    }

    /** One decision of the record of an incident, open or closed, with the incident it is about. */
    public record HistoryEntry(IncidentKey key, String tmUid, Decision decision) {
    }

    /**
     * How much of the decision record is kept: the newest {@code size} decisions per incident, and a closed
     * incident's for {@code retention} after it was closed.
     */
    public record HistoryBounds(int size, java.time.Duration retention) {
        public static final HistoryBounds DEFAULT = new HistoryBounds(50, java.time.Duration.ofDays(7));

        public HistoryBounds {
            if (size < 1) {
                throw new IllegalArgumentException("alert.history.size must be at least 1");
            }
        }
    }

    private final IncidentLog log;
    private final Clock clock;
    private final boolean sendResolved;
    private final HistoryBounds bounds;
    private final ObjectMapper json = mapper();
    /** The decision records of closed incidents, oldest closed first, kept for HistoryBounds.retention. */
    private final Map<IncidentKey, ClosedRecord> closedHistory = new LinkedHashMap<>();

    private final Map<IncidentKey, Incident> open = new LinkedHashMap<>();
    /**
     * The keys of the open task incidents (failed and stuck) of each TM: every polled task asks for its TM's, so a
     * check costs the TM's few incidents, not a scan of every open one. Kept by {@link #putOpen}, {@link #removeOpen}.
     */
    private final Map<String, Set<IncidentKey>> openTasksByTm = new java.util.HashMap<>();
    private final Set<IncidentKey> closed = new HashSet<>();
    /** Alerts the 0.1 ledger recorded as sent ({@code channel:tm:task}); see {@link LegacyJournals}. */
    private final Set<String> legacySent = new HashSet<>();
    private static final java.time.Duration CATCH_UP_EVERY = java.time.Duration.ofMillis(250);
    /** When {@link #change} last caught up with the shared log (System.nanoTime). Guarded by this. */
    private long lastCatchUp = System.nanoTime() - CATCH_UP_EVERY.toNanos() - 1;
    /** The last fence that refused a change, so a lost round is told once. Guarded by this. */
    private Fence refusedFence;
    /**
     * Incidents a channel of this process is sending a notice of now (how many at once), from the claim to the
     * release: one resolved meanwhile is kept until the send is over, so an alert that was on its way when the task
     * ended is followed by its resolved notice. Guarded by this.
     */
    private final Map<IncidentKey, Integer> sendingHere = new java.util.HashMap<>();
    private IncidentChanges changes = IncidentChanges.NONE;

    /**
     * The state of one process, in a journal file.
     *
     * @param defaultDestinations each channel's default destination (the default webhook, alert.email.to), for the
     *                            problems an earlier release told on alert.channels
     */
    public IncidentState(Path journalFile, Clock clock, boolean sendResolved, Map<String, String> defaultDestinations) {
        this(journalFile, clock, sendResolved, defaultDestinations, HistoryBounds.DEFAULT);
    }

    public IncidentState(Path journalFile, Clock clock, boolean sendResolved, Map<String, String> defaultDestinations,
                         HistoryBounds bounds) {
        this.clock = clock;
        this.sendResolved = sendResolved;
        this.bounds = bounds;
        this.log = new JournalFile(journalFile, json, defaultDestinations);
    }

    /** The state in {@code log}: in cluster mode, a table every instance shares. */
    public IncidentState(IncidentLog log, Clock clock, boolean sendResolved) {
        this(log, clock, sendResolved, HistoryBounds.DEFAULT);
    }

    public IncidentState(IncidentLog log, Clock clock, boolean sendResolved, HistoryBounds bounds) {
        this.clock = clock;
        this.sendResolved = sendResolved;
        this.bounds = bounds;
        this.log = log;
    }

    /** Who is told of each change from now on (the summaries' ledger). */
    public synchronized void reportChangesTo(IncidentChanges listener) {
        this.changes = listener;
    }

    /**
     * The state of a journal file as it is now, for reading only (the operator tool {@code history}, beside a running
     * monitor): read once, never rewritten nor written.
     */
    public static IncidentState readOnly(Path journalFile, Clock clock, HistoryBounds bounds) {
        return new IncidentState(new JournalLines(journalFile), clock, true, bounds);
    }

    /** The journal file of a single process. */
    public Path journal() {
        if (log instanceof JournalFile file) {
            return file.file();
        }
        throw new IllegalStateException("the incident state is shared (" + log.describe() + "), not a file");
    }

    @Override
    protected synchronized void doStart() throws IOException {
        forget();
        log.start(this::replay, this::compacted);
        LOG.info("Alert state {} holds {} open incident(s)", log.describe(), open.size());
    }

    @Override
    protected synchronized void doStop() throws IOException {
        log.stop();
    }

    // --- what the polls report -------------------------------------------------------------------------------

    /**
     * A TM's last task failed. A task seen for the first time becomes a new incident, pending on every channel of
     * its routing; it supersedes an unresolved failure of an earlier task of the same TM. A known or closed task
     * changes nothing.
     *
     * @return true when this is a new failure
     */
    public synchronized boolean failed(FailureFacts facts, Routing routing) {
        return failed(facts, routing, Fence.OPEN);
    }

    /** {@link #failed(FailureFacts, Routing)}, seen by a round that must still hold {@code fence}. */
    public synchronized boolean failed(FailureFacts facts, Routing routing, Fence fence) {
        IncidentKey key = IncidentKey.task(facts.tmUid(), facts.taskId());
        return change(() -> !isKnown(key), fence, () -> {
            if (isKnown(key)) {
                return false;
            }
            for (Incident earlier : openTasksOf(facts.tmUid())) {
                // a stuck task is not superseded by a failure: it ends by taskMoved, with its own notice
                if (!earlier.isStuck() && !earlier.isResolved()) {
                    LOG.info("TM {}: failed task {} is superseded by failed task {}; alerting the new one",
                            facts.tmUid(), earlier.taskId(), facts.taskId());
                    close(earlier, true);
                }
            }
            Instant now = clock.instant();
            Incident incident = Incident.detected(facts, routing, now);
            for (String channel : routing.channels()) {
                if (legacySent.contains(channel + ":" + facts.tmUid() + ":" + facts.taskId())) {
                    incident = incident.withAlerted(channel, channel, now);
                }
            }
            save(incident);
            return true;
        }, false);
    }

    private boolean isKnown(IncidentKey key) {
        return closed.contains(key) || open.containsKey(key);
    }

    /**
     * A TM's last task finished without error. An unresolved failure of another task of that TM is resolved: its
     * carriers are owed a resolved notice (with {@code alert.send-resolved}), or it is closed when no channel ever
     * took its alert, or resolved notices are off.
     */
    public synchronized void succeeded(String tmUid, String taskId, String action, String finished) {
        succeeded(tmUid, taskId, action, finished, Fence.OPEN);
    }

    /** {@link #succeeded(String, String, String, String)}, seen by a round that must still hold {@code fence}. */
    public synchronized void succeeded(String tmUid, String taskId, String action, String finished, Fence fence) {
        change(() -> !resolvedBy(tmUid, taskId).isEmpty(), fence, () -> {
            for (Incident incident : resolvedBy(tmUid, taskId)) {
                if (incident.carriers().isEmpty() && mayBeUnderWay(incident.key())) {
                    LOG.info("TM {}: failed task {} was resolved by task {} while its alert may be on its way; its"
                            + " resolved notice follows if a channel takes it", tmUid, incident.taskId(), taskId);
                    save(incident.withResolution(new Incident.Resolution(taskId, action, finished, clock.instant(),
                            Set.of())));
                } else if (incident.carriers().isEmpty()) {
                    LOG.warn("TM {}: failed task {} was resolved by task {} before any channel took its alert;"
                            + " the alert is no longer sent", tmUid, incident.taskId(), taskId);
                    close(incident);
                } else if (!sendResolved) {
                    LOG.info("TM {}: failed task {} resolved by task {} (alert.send-resolved=false: no notice)",
                            tmUid, incident.taskId(), taskId);
                    close(incident);
                } else {
                    LOG.info("TM {}: failed task {} resolved by task {}", tmUid, incident.taskId(), taskId);
                    save(incident.withResolution(new Incident.Resolution(taskId, action, finished, clock.instant(),
                            Set.of())));
                }
            }
            return null;
        }, null);
    }

    /** Called for every TM that is OK: looks at that TM's open incidents only. */
    private List<Incident> resolvedBy(String tmUid, String taskId) {
        return openTasksOf(tmUid).stream()
                .filter(incident -> !incident.isStuck() && !incident.isResolved() && !incident.taskId().equals(taskId))
                .toList();
    }

    /** The open failed and stuck tasks of the TM, a copy (callers close some of them). */
    private List<Incident> openTasksOf(String tmUid) {
        Set<IncidentKey> keys = openTasksByTm.get(tmUid);
        return keys == null ? List.of() : keys.stream().map(open::get).toList();
    }

    /**
     * A TM's last task has been RUNNING for longer than {@code monitor.stuck-after}: an incident of its own, pending
     * on every channel of its routing. It supersedes nothing (a failure of an earlier task stays open) and a known or
     * closed one changes nothing; it ends by {@link #taskMoved}.
     *
     * @return true when this task is newly stuck
     */
    public synchronized boolean stuck(FailureFacts facts, Routing routing) {
        return stuck(facts, routing, Fence.OPEN);
    }

    /** {@link #stuck(FailureFacts, Routing)}, seen by a round that must still hold {@code fence}. */
    public synchronized boolean stuck(FailureFacts facts, Routing routing, Fence fence) {
        IncidentKey key = IncidentKey.stuck(facts.tmUid(), facts.taskId());
        if (!facts.isStuck()) {
            return false;
        }
        return change(() -> !isKnown(key), fence, () -> {
            if (isKnown(key)) {
                return false;
            }
            save(Incident.detected(facts, routing, clock.instant()));
            return true;
        }, false);
    }

    /**
     * A TM's last task is {@code taskId}, still running or not. An unresolved stuck task of that TM is over unless
     * it is this very task still running: it finished (with or without error: a failure is alerted on its own), or
     * a newer task took its place. Its carriers are owed a resolved notice, as for a failure.
     */
    public synchronized void taskMoved(String tmUid, String taskId, boolean running, String action, String finished) {
        taskMoved(tmUid, taskId, running, action, finished, Fence.OPEN);
    }

    /** {@link #taskMoved(String, String, boolean, String, String)}, seen by a round that must still hold the fence. */
    public synchronized void taskMoved(String tmUid, String taskId, boolean running, String action, String finished,
                                       Fence fence) {
        // called for every polled task: it looks at that TM's open incidents only
        change(() -> !stuckEndedBy(tmUid, taskId, running).isEmpty(), fence, () -> {
            for (Incident incident : stuckEndedBy(tmUid, taskId, running)) {
                String how = incident.taskId().equals(taskId) ? "finished" : "was followed by task " + taskId;
                if (incident.carriers().isEmpty() && mayBeUnderWay(incident.key())) {
                    LOG.info("TM {}: stuck task {} {} while its alert may be on its way; its resolved notice follows"
                            + " if a channel takes it", tmUid, incident.taskId(), how);
                    save(incident.withResolution(new Incident.Resolution(taskId, action, finished, clock.instant(),
                            Set.of())));
                } else if (incident.carriers().isEmpty()) {
                    LOG.warn("TM {}: stuck task {} {} before any channel took its alert; the alert is no longer"
                            + " sent", tmUid, incident.taskId(), how);
                    close(incident);
                } else if (!sendResolved) {
                    LOG.info("TM {}: stuck task {} {} (alert.send-resolved=false: no notice)", tmUid,
                            incident.taskId(), how);
                    close(incident);
                } else {
                    LOG.info("TM {}: stuck task {} {}", tmUid, incident.taskId(), how);
                    save(incident.withResolution(new Incident.Resolution(taskId, action, finished, clock.instant(),
                            Set.of())));
                }
            }
            return null;
        }, null);
    }

    private List<Incident> stuckEndedBy(String tmUid, String taskId, boolean running) {
        return openTasksOf(tmUid).stream()
                .filter(incident -> incident.isStuck() && !incident.isResolved()
                        && !(running && incident.taskId().equals(taskId)))
                .toList();
    }

    // --- what the monitor's own checks report ----------------------------------------------------------------

    /**
     * A problem of the monitor holds now. A new one is recorded unrouted (the routing rules route it next); a known
     * one keeps what failed and since when as first told, with its last error kept current (written only when it
     * changes); one that is back before its recovery was told is open again, and no recovery is owed.
     *
     * @return true when the problem is new
     */
    public synchronized boolean problemHolds(ProblemFacts facts) {
        IncidentKey key = IncidentKey.problem(facts.key());
        return change(() -> problemChanges(key, facts), () -> {
            Incident known = open.get(key);
            if (known == null) {
                ClosedRecord earlier = closedHistory.get(key);
                Incident detected = Incident.detected(facts, clock.instant());
                save(earlier == null ? detected : detected.withEarlierHistory(earlier.decisions(), bounds.size()));
                return true;
            }
            if (known.isResolved()) {
                LOG.warn("Monitor problem {} is back before its recovery was told: {}", facts.key(),
                        facts.lastError());
                save(known.withResolution(null).withProblem(known.problem().withLastError(facts.lastError())));
            } else if (!known.problem().lastError().equals(facts.lastError())) {
                save(known.withProblem(known.problem().withLastError(facts.lastError())));
            }
            return false;
        }, false);
    }

    private boolean problemChanges(IncidentKey key, ProblemFacts facts) {
        Incident known = open.get(key);
        return known == null || known.isResolved() || !known.problem().lastError().equals(facts.lastError());
    }

    /**
     * A problem is over. When a channel was told about it, the channels that carried it are owed a recovery notice;
     * otherwise it is forgotten, nobody having heard of it.
     */
    public synchronized void problemOver(String problemKey) {
        IncidentKey key = IncidentKey.problem(problemKey);
        // called for every TM that answers: most have no problem, and then nothing is locked or written
        change(() -> open.containsKey(key) && !open.get(key).isResolved(), () -> {
            Incident known = open.get(key);
            if (known == null || known.isResolved()) {
                return null;
            }
            if (known.carriers().isEmpty() && !mayBeUnderWay(key)) {
                LOG.info("Monitor problem {} is over before any channel was told about it; nothing to send",
                        problemKey);
                close(known);
                return null;
            }
            LOG.info("Monitor problem {} is over: {}", problemKey, known.problem().subject());
            save(known.withResolution(new Incident.Resolution(null, null, null, clock.instant(), Set.of())));
            return null;
        }, null);
    }

    /** The routing rules decided who is told about an incident detected without routing (a problem). */
    public synchronized void routed(IncidentKey key, Routing routing) {
        update(key, incident -> incident.isRouted() ? incident : incident.withRouting(routing));
    }

    /** Incidents the routing rules have not routed yet, oldest first. */
    public synchronized List<Incident> unrouted() {
        catchUp();
        return open.values().stream().filter(incident -> !incident.isRouted()).toList();
    }

    // --- what the channels took ------------------------------------------------------------------------------

    /** Open incidents (unresolved, or resolved and still owing a notice), oldest first. */
    public synchronized List<Incident> openIncidents() {
        catchUp();
        return List.copyOf(open.values());
    }

    /**
     * How many incidents of {@code kind} ({@link Incident#kind()}) are open and not resolved, as this instance last
     * saw the state (for the metrics: no look at a cluster's database per scrape).
     */
    public synchronized int unresolved(String kind) {
        int count = 0;
        for (Incident incident : open.values()) {
            if (!incident.isResolved() && incident.kind().equals(kind)) {
                count++;
            }
        }
        return count;
    }

    public synchronized Optional<Incident> find(IncidentKey key) {
        catchUp();
        return Optional.ofNullable(open.get(key));
    }

    /**
     * Whether the incident is open or was closed, as of this instance's last look at the others' changes (at most
     * {@link #CATCH_UP_EVERY} ago): for a question asked of every polled task, whose change decides again under the
     * lock.
     */
    public synchronized boolean knows(IncidentKey key) {
        if (log.shared()) {
            catchUpNowAndThen();
        }
        return isKnown(key);
    }

    public Optional<Incident> find(String tmUid, String taskId) {
        return find(IncidentKey.task(tmUid, taskId));
    }

    /**
     * Runs {@code step} (a claim of other instances' agreement, in cluster mode) only when each of {@code planned}
     * is still what the state holds now, with no other instance changing the state meanwhile: what was planned from
     * it is then still due, and nobody recorded it since.
     *
     * @return false, without running {@code step}, when one of them changed or was closed
     */
    public synchronized boolean whileUnchanged(List<Incident> planned, java.util.function.BooleanSupplier step) {
        return change(() -> true, () -> {
            for (Incident incident : planned) {
                if (!incident.samePlanAs(open.get(incident.key()))) {
                    return false;
                }
            }
            return startedSending(planned, step.getAsBoolean());
        }, false);
    }

    /**
     * A channel of this (single) process is about to send a notice planned from {@code planned}: only when each is
     * still open and resolved or not as planned (an alert of an incident resolved meanwhile is no longer sent). Its
     * own channel is the only one that records this notice, so other changes (another channel's) do not matter.
     *
     * @return false when the notice is no longer due; otherwise the send is under way until {@link #sendOver}
     */
    public synchronized boolean startSending(List<Incident> planned) {
        for (Incident incident : planned) {
            Incident now = open.get(incident.key());
            if (now == null || now.isResolved() != incident.isResolved()) {
                return false;
            }
        }
        return startedSending(planned, true);
    }

    private boolean startedSending(List<Incident> planned, boolean started) {
        if (started) {
            planned.stream().map(Incident::key).distinct().forEach(key -> sendingHere.merge(key, 1, Integer::sum));
        }
        return started;
    }

    /**
     * The send of a notice planned from {@code planned} is over, taken and recorded or not. An incident resolved
     * while it was on its way that no channel took is closed now: nobody heard of it.
     */
    public synchronized void sendOver(List<Incident> planned) {
        List<IncidentKey> keys = planned.stream().map(Incident::key).distinct().toList();
        keys.forEach(key -> sendingHere.computeIfPresent(key, (sending, count) -> count == 1 ? null : count - 1));
        change(() -> keys.stream().map(open::get).anyMatch(IncidentState::resolvedUntold), () -> {
            for (IncidentKey key : keys) {
                Incident incident = open.get(key);
                if (resolvedUntold(incident) && !mayBeUnderWay(key)) {
                    LOG.info("{} was resolved before any channel took its alert; nothing more to send",
                            key.id());
                    close(incident);
                }
            }
            return null;
        }, null);
    }

    /**
     * Closes the incidents resolved before {@code before} that no channel took an alert of: in a cluster another node
     * may have been sending one when it was resolved, which its claim (at most {@code cluster.claim-lease} long)
     * bounded; none of them is under way any more.
     */
    public synchronized void closeResolvedUntold(Instant before) {
        change(() -> open.values().stream().anyMatch(incident -> resolvedUntold(incident)
                && incident.resolution().at().isBefore(before)), () -> {
            for (Incident incident : List.copyOf(open.values())) {
                if (resolvedUntold(incident) && incident.resolution().at().isBefore(before)
                        && !sendingHere.containsKey(incident.key())) {
                    LOG.info("{} was resolved before any channel took its alert; nothing more to send",
                            incident.key().id());
                    close(incident);
                }
            }
            return null;
        }, null);
    }

    private static boolean resolvedUntold(Incident incident) {
        return incident != null && incident.isResolved() && incident.carriers().isEmpty();
    }

    /**
     * Whether a channel may be sending a notice of this incident now: one of this process, or, with a state shared
     * by a cluster, any node's (whose claims this state does not see; {@link #closeResolvedUntold} ends the wait).
     */
    private boolean mayBeUnderWay(IncidentKey key) {
        return sendingHere.containsKey(key) || log.shared();
    }

    /** An alert reached {@code target}'s people on {@code via}. Written before it counts. */
    public synchronized void alerted(IncidentKey key, String target, String via) {
        update(key, incident -> incident.withAlerted(target, via, clock.instant()));
    }

    /**
     * As {@link #alerted(IncidentKey, String, String)}, with the Slack message that carried it (a bot token's
     * chat.postMessage), in the same journal line: its thread is where reminders and the resolved notice go, after a
     * restart too.
     */
    public synchronized void alerted(IncidentKey key, String target, String via, Incident.MessageId message) {
        update(key, incident -> incident.withAlerted(target, via, clock.instant(), message));
    }

    public synchronized void reminded(IncidentKey key, String carrier) {
        update(key, incident -> incident.withReminded(carrier, clock.instant()));
    }

    public synchronized void notifiedResolved(IncidentKey key, String carrier) {
        update(key, incident -> incident.isResolved() ? incident.withNotified(carrier) : incident);
    }

    /**
     * A notice the channel took for the people of {@code target}, on {@code via}: what {@link #alerted},
     * {@link #reminded} and {@link #notifiedResolved} record, with the decision, in the same journal line.
     * {@code message}: the Slack message that carried an alert, or null.
     */
    public synchronized void delivered(IncidentKey key, Incident.Stage stage, String target, String via,
                                       Incident.MessageId message, Decision decision) {
        update(key, incident -> {
            Incident next = switch (stage) {
                case ALERT -> incident.withAlerted(target, via, clock.instant(), message);
                case REMINDER -> incident.withReminded(target, clock.instant());
                case RESOLVED -> incident.isResolved() ? incident.withNotified(target) : incident;
            };
            return decision == null ? next : next.withDecision(decision, bounds.size());
        });
    }

    /**
     * A decision about an open incident, added to its record: written only when it says something new for that
     * channel, so a notice held back pass after pass for one reason is one line, not one per pass.
     */
    public synchronized void decided(IncidentKey key, Decision decision) {
        change(() -> open.containsKey(key) && open.get(key).withDecision(decision, bounds.size()) != open.get(key),
                () -> {
                    Incident incident = open.get(key);
                    if (incident != null) {
                        Incident next = incident.withDecision(decision, bounds.size());
                        if (next != incident) {
                            save(next);
                        }
                    }
                    return null;
                }, null);
    }

    /**
     * As {@link #decided}, for many incidents at once (a delivery pass that holds back every incident of a round
     * still under way): one change, one sync of the journal for all that say something new.
     */
    public synchronized void decidedAll(List<Map.Entry<IncidentKey, Decision>> decisions) {
        change(() -> decisions.stream().anyMatch(entry -> open.containsKey(entry.getKey())
                && open.get(entry.getKey()).withDecision(entry.getValue(), bounds.size()) != open.get(entry.getKey())),
                () -> {
                    Map<IncidentKey, Incident> changed = new LinkedHashMap<>();
                    for (Map.Entry<IncidentKey, Decision> entry : decisions) {
                        Incident incident = changed.getOrDefault(entry.getKey(), open.get(entry.getKey()));
                        if (incident != null) {
                            Incident next = incident.withDecision(entry.getValue(), bounds.size());
                            if (next != incident) {
                                changed.put(entry.getKey(), next);
                            }
                        }
                    }
                    log.appendAll(changed.values().stream()
                            .map(next -> Map.entry(next.key(), write(new Line(next, null)))).toList());
                    changed.values().forEach(next -> {
                        changes.changed(open.get(next.key()), next, false);
                        putOpen(next);
                    });
                    return null;
                }, null);
    }

    /**
     * The decision record of the incidents about {@code tmUid} (or whose key's {@link IncidentKey#id()}, task id or
     * problem key is {@code incident}), open and closed within {@code alert.history.retention}, from {@code since}
     * to {@code until} (either may be null), oldest first.
     */
    public synchronized List<HistoryEntry> history(String tmUid, String incident, Instant since, Instant until) {
        catchUp();
        forgetExpiredHistory();
        List<HistoryEntry> entries = new ArrayList<>();
        closedHistory.forEach((key, record) -> {
            if (about(key, record.tmUid(), tmUid, incident)) {
                record.decisions().forEach(decision -> entries.add(new HistoryEntry(key, record.tmUid(), decision)));
            }
        });
        for (Incident open : this.open.values()) {
            if (about(open.key(), open.tmUid(), tmUid, incident)) {
                open.history().forEach(decision -> entries.add(new HistoryEntry(open.key(), open.tmUid(), decision)));
            }
        }
        return entries.stream()
                .filter(entry -> (since == null || !entry.decision().at().isBefore(since))
                        && (until == null || !entry.decision().at().isAfter(until)))
                .sorted(java.util.Comparator.comparing((HistoryEntry entry) -> entry.decision().at()))
                .toList();
    }

    private static boolean about(IncidentKey key, String keyTm, String tmUid, String incident) {
        boolean tmMatches = tmUid == null || tmUid.equals(keyTm);
        boolean incidentMatches = incident == null || incident.equals(key.id()) || incident.equals(key.taskId())
                || incident.equals(key.problem());
        return tmMatches && incidentMatches;
    }

    /** Closed records past alert.history.retention are dropped: the oldest closed come first. */
    private void forgetExpiredHistory() {
        Instant horizon = clock.instant().minus(bounds.retention());
        var oldest = closedHistory.entrySet().iterator();
        while (oldest.hasNext()) {
            if (oldest.next().getValue().at().isBefore(horizon)) {
                oldest.remove();
            } else {
                break;
            }
        }
    }

    /**
     * Some recipients on {@code channel} took the notice of {@code stage}, others not yet: written before it counts,
     * so neither a later round nor a restart sends them a second copy.
     */
    public synchronized void took(IncidentKey key, String channel, Incident.Stage stage, Set<String> recipients) {
        update(key, incident -> incident.withTook(channel, stage, recipients));
    }

    public Instant now() {
        return clock.instant();
    }

    private void update(IncidentKey key, UnaryOperator<Incident> change) {
        change(() -> open.containsKey(key), () -> {
            Incident incident = open.get(key);
            if (incident == null) {
                return null;
            }
            Incident next = change.apply(incident);
            if (next.isDone() && !(next.carriers().isEmpty() && mayBeUnderWay(key))) {
                close(next);
            } else if (!next.equals(incident)) {
                save(next);
            }
            return null;
        }, null);
    }

    /**
     * One change of the state. A shared log is caught up first, and locked only when {@code worthLocking} says the
     * change may write something: most calls (a TM that is fine, a problem that is not open) then write nothing and
     * lock nothing. When the shared log fails, the memory of the state is dropped and read again at the next call.
     */
    private <T> T change(java.util.function.BooleanSupplier worthLocking, java.util.function.Supplier<T> body,
                         T nothing) {
        return change(worthLocking, Fence.OPEN, body, nothing);
    }

    /** A change seen by a round, made only while {@code fence} admits it (asked under the lock). */
    private <T> T change(java.util.function.BooleanSupplier worthLocking, Fence fence,
                         java.util.function.Supplier<T> body, T nothing) {
        if (!log.shared()) {
            return fence.admits() ? body.get() : nothing;
        }
        catchUpNowAndThen();
        if (!worthLocking.getAsBoolean()) {
            return nothing;
        }
        try {
            return log.exclusive(() -> {
                if (fence.admits()) {
                    return body.get();
                }
                if (fence != refusedFence) {
                    // once per lost round, not once per TM it had checked
                    refusedFence = fence;
                    LOG.info("A check of a round this node no longer holds is not recorded, nor any other of that"
                            + " round: another node has polled since");
                }
                return nothing;
            }, this::replay);
        } catch (StateUnavailableException e) {
            forget();
            throw e;
        }
    }

    /**
     * A TM that is fine asks three times a round whether it changes anything: one look at the others' changes per
     * CATCH_UP_EVERY, not a query each time. A change the others made since shows here that much later at worst (the
     * next round does it then); whatever is written is decided again under the lock, caught up.
     */
    private void catchUpNowAndThen() {
        long now = System.nanoTime();
        if (now - lastCatchUp > CATCH_UP_EVERY.toNanos()) {
            catchUp();
            lastCatchUp = now;
        }
    }

    private void catchUp() {
        try {
            log.catchUp(this::replay);
        } catch (StateUnavailableException e) {
            forget();
            throw e;
        }
    }

    private void forget() {
        open.clear();
        openTasksByTm.clear();
        closed.clear();
        closedHistory.clear();
        legacySent.clear();
    }

    private void save(Incident incident) {
        log.append(incident.key(), write(new Line(incident, null)));
        changes.changed(open.get(incident.key()), incident, false);
        putOpen(incident);
    }

    private void close(Incident incident) {
        close(incident, false);
    }

    private void close(Incident incident, boolean superseded) {
        IncidentKey key = incident.key();
        ClosedRecord record = incident.history().isEmpty() ? null
                : new ClosedRecord(clock.instant(), incident.tmUid(), incident.history());
        log.append(key, write(new Line(null, key, record)));
        changes.changed(open.containsKey(key) ? open.get(key) : incident, null, superseded);
        removeOpen(key);
        keepClosed(key, record);
        if (!key.isProblem()) {
            closed.add(key); // a problem may come back; a closed task never does
        }
    }

    /** A closed incident's record, kept for alert.history.retention (the newest closed last). */
    private void keepClosed(IncidentKey key, ClosedRecord record) {
        closedHistory.remove(key);
        if (record != null && !record.at().isBefore(clock.instant().minus(bounds.retention()))) {
            closedHistory.put(key, record);
        }
        forgetExpiredHistory();
    }

    private void putOpen(Incident incident) {
        closedHistory.remove(incident.key());
        open.put(incident.key(), incident);
        if (!incident.isProblem()) {
            openTasksByTm.computeIfAbsent(incident.tmUid(), tm -> new java.util.LinkedHashSet<>()).add(incident.key());
        }
    }

    private void removeOpen(IncidentKey key) {
        Incident removed = open.remove(key);
        if (removed != null && !removed.isProblem()) {
            Set<IncidentKey> keys = openTasksByTm.get(removed.tmUid());
            keys.remove(key);
            if (keys.isEmpty()) {
                openTasksByTm.remove(removed.tmUid());
            }
        }
    }

    // --- journal lines ---------------------------------------------------------------------------------------

    boolean replay(String line) {
        Optional<String> ledger = LegacyJournals.ledgerEntry(line);
        if (ledger.isPresent()) {
            if (line.startsWith(LegacyJournals.LEDGER_SENT)) {
                legacySent.add(ledger.get());
            } else {
                legacySent.remove(ledger.get());
            }
            return true;
        }
        try {
            Line entry = json.readValue(line, Line.class);
            if (entry.incident() != null) {
                putOpen(entry.incident());
            } else if (entry.closed() != null) {
                removeOpen(entry.closed());
                keepClosed(entry.closed(), entry.history());
                if (!entry.closed().isProblem()) {
                    closed.add(entry.closed());
                }
            } else {
                return false;
            }
            return true;
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    private List<String> compacted() {
        List<String> lines = new ArrayList<>();
        legacySent.stream().sorted().forEach(key -> lines.add(LegacyJournals.ledgerLine(key)));
        forgetExpiredHistory();
        closed.forEach(key -> lines.add(write(new Line(null, key, closedHistory.get(key)))));
        // a closed problem leaves no tombstone of its own (it may come back), only its record while that is kept
        closedHistory.forEach((key, record) -> {
            if (!closed.contains(key)) {
                lines.add(write(new Line(null, key, record)));
            }
        });
        open.values().forEach(incident -> lines.add(write(new Line(incident, null))));
        return lines;
    }

    private String write(Line line) {
        try {
            return json.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state journal line", e);
        }
    }

    /** The JSON of the monitor's state: records by their fields, instants as ISO-8601 text, unknown fields ignored. */
    public static ObjectMapper mapper() {
        SimpleModule instants = new SimpleModule("instants")
                .addSerializer(Instant.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Instant value, JsonGenerator out, SerializerProvider provider)
                            throws IOException {
                        out.writeString(value.toString());
                    }
                })
                .addDeserializer(Instant.class, new JsonDeserializer<>() {
                    @Override
                    public Instant deserialize(JsonParser in, DeserializationContext context) throws IOException {
                        return Instant.parse(in.getValueAsString());
                    }
                });
        return new ObjectMapper()
                .registerModule(instants)
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
