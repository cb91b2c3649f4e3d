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

    /** One journal line: either an incident, or the tombstone of a closed one. "failure" is the 0.x name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(@JsonAlias("failure") Incident incident, IncidentKey closed) {
    }

    private final StateJournal journal;
    private final Clock clock;
    private final boolean sendResolved;
    private final Map<String, String> defaultDestinations;
    private final ObjectMapper json = mapper();

    private final Map<IncidentKey, Incident> open = new LinkedHashMap<>();
    private final Set<IncidentKey> closed = new HashSet<>();
    /** Alerts the 0.1 ledger recorded as sent ({@code channel:tm:task}); see {@link LegacyJournals}. */
    private final Set<String> legacySent = new HashSet<>();

    /**
     * @param defaultDestinations each channel's default destination (the default webhook, alert.email.to), for the
     *                            problems an earlier release told on alert.channels
     */
    public IncidentState(Path journalFile, Clock clock, boolean sendResolved, Map<String, String> defaultDestinations) {
        this.journal = new StateJournal(journalFile);
        this.clock = clock;
        this.sendResolved = sendResolved;
        this.defaultDestinations = Map.copyOf(defaultDestinations);
    }

    public Path journal() {
        return journal.file();
    }

    @Override
    protected synchronized void doStart() throws IOException {
        open.clear();
        closed.clear();
        legacySent.clear();
        LegacyJournals legacy = new LegacyJournals(journal.file().getParent(), json, defaultDestinations);
        boolean upgrading = !java.nio.file.Files.exists(journal.file()) && legacy.exist();
        List<String> lines = upgrading ? legacy.lines() : journal.open();
        if (upgrading) {
            journal.open(); // creates the state directory if needed
        }
        int unreadable = 0;
        int records = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (replay(line)) {
                records++;
            } else {
                unreadable++;
            }
        }
        if (records == 0 && unreadable > 0 && !upgrading) {
            journal.moveAside("no line of it is a state record");
        } else if (unreadable > 0) {
            LOG.warn("State journal {} had {} unreadable line(s); ignored them", upgrading ? legacy.describe()
                    : journal.file(), unreadable);
        }
        journal.rewrite(compacted());
        if (upgrading) {
            legacy.markUpgraded();
            LOG.info("Read the journals of the earlier release ({}) into {}; renamed them *.upgraded",
                    legacy.describe(), journal.file().getFileName());
        }
        LOG.info("Alert state {} holds {} open incident(s)", journal.file(), open.size());
    }

    @Override
    protected synchronized void doStop() throws IOException {
        journal.close();
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
        IncidentKey key = IncidentKey.task(facts.tmUid(), facts.taskId());
        if (closed.contains(key) || open.containsKey(key)) {
            return false;
        }
        for (Incident earlier : List.copyOf(open.values())) {
            // a stuck task is not superseded by a failure: it ends by taskMoved, with its own notice
            if (!earlier.isProblem() && !earlier.isStuck() && earlier.tmUid().equals(facts.tmUid())
                    && !earlier.isResolved()) {
                LOG.info("TM {}: failed task {} is superseded by failed task {}; alerting the new one",
                        facts.tmUid(), earlier.taskId(), facts.taskId());
                close(earlier);
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
    }

    /**
     * A TM's last task finished without error. An unresolved failure of another task of that TM is resolved: its
     * carriers are owed a resolved notice (with {@code alert.send-resolved}), or it is closed when no channel ever
     * took its alert, or resolved notices are off.
     */
    public synchronized void succeeded(String tmUid, String taskId, String action, String finished) {
        // called for every TM that is OK: copy only the (rare) records it resolves, not every open incident
        List<Incident> resolved = open.values().stream()
                .filter(incident -> !incident.isProblem() && !incident.isStuck() && incident.tmUid().equals(tmUid)
                        && !incident.isResolved() && !incident.taskId().equals(taskId))
                .toList();
        for (Incident incident : resolved) {
            if (incident.carriers().isEmpty()) {
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
    }

    /**
     * A TM's last task has been RUNNING for longer than {@code monitor.stuck-after}: an incident of its own, pending
     * on every channel of its routing. It supersedes nothing (a failure of an earlier task stays open) and a known or
     * closed one changes nothing; it ends by {@link #taskMoved}.
     *
     * @return true when this task is newly stuck
     */
    public synchronized boolean stuck(FailureFacts facts, Routing routing) {
        IncidentKey key = IncidentKey.stuck(facts.tmUid(), facts.taskId());
        if (!facts.isStuck() || closed.contains(key) || open.containsKey(key)) {
            return false;
        }
        save(Incident.detected(facts, routing, clock.instant()));
        return true;
    }

    /**
     * A TM's last task is {@code taskId}, still running or not. An unresolved stuck task of that TM is over unless
     * it is this very task still running: it finished (with or without error: a failure is alerted on its own), or
     * a newer task took its place. Its carriers are owed a resolved notice, as for a failure.
     */
    public synchronized void taskMoved(String tmUid, String taskId, boolean running, String action, String finished) {
        // called for every polled task: copy only the (rare) stuck records it ends, not every open incident
        List<Incident> over = open.values().stream()
                .filter(incident -> incident.isStuck() && incident.tmUid().equals(tmUid) && !incident.isResolved()
                        && !(running && incident.taskId().equals(taskId)))
                .toList();
        for (Incident incident : over) {
            String how = incident.taskId().equals(taskId) ? "finished" : "was followed by task " + taskId;
            if (incident.carriers().isEmpty()) {
                LOG.warn("TM {}: stuck task {} {} before any channel took its alert; the alert is no longer sent",
                        tmUid, incident.taskId(), how);
                close(incident);
            } else if (!sendResolved) {
                LOG.info("TM {}: stuck task {} {} (alert.send-resolved=false: no notice)", tmUid, incident.taskId(),
                        how);
                close(incident);
            } else {
                LOG.info("TM {}: stuck task {} {}", tmUid, incident.taskId(), how);
                save(incident.withResolution(new Incident.Resolution(taskId, action, finished, clock.instant(),
                        Set.of())));
            }
        }
    }

    // --- what the monitor's own checks report ----------------------------------------------------------------

    /**
     * A problem of the monitor holds now. A new one is recorded unrouted (the routing rules route it next); a known
     * one keeps what failed and since when as first told, with its last error kept current (written only when it
     * changes); one
     * that is back before its recovery was told is open again, and no recovery is owed.
     *
     * @return true when the problem is new
     */
    public synchronized boolean problemHolds(ProblemFacts facts) {
        IncidentKey key = IncidentKey.problem(facts.key());
        Incident known = open.get(key);
        if (known == null) {
            save(Incident.detected(facts, clock.instant()));
            return true;
        }
        if (known.isResolved()) {
            LOG.warn("Monitor problem {} is back before its recovery was told: {}", facts.key(), facts.lastError());
            save(known.withResolution(null).withProblem(known.problem().withLastError(facts.lastError())));
        } else if (!known.problem().lastError().equals(facts.lastError())) {
            save(known.withProblem(known.problem().withLastError(facts.lastError())));
        }
        return false;
    }

    /**
     * A problem is over. When a channel was told about it, the channels that carried it are owed a recovery notice;
     * otherwise it is forgotten, nobody having heard of it.
     */
    public synchronized void problemOver(String problemKey) {
        Incident known = open.get(IncidentKey.problem(problemKey));
        if (known == null || known.isResolved()) {
            return;
        }
        if (known.carriers().isEmpty()) {
            LOG.info("Monitor problem {} is over before any channel was told about it; nothing to send", problemKey);
            close(known);
            return;
        }
        LOG.info("Monitor problem {} is over: {}", problemKey, known.problem().subject());
        save(known.withResolution(new Incident.Resolution(null, null, null, clock.instant(), Set.of())));
    }

    /** The routing rules decided who is told about an incident detected without routing (a problem). */
    public synchronized void routed(IncidentKey key, Routing routing) {
        update(key, incident -> incident.isRouted() ? incident : incident.withRouting(routing));
    }

    /** Incidents the routing rules have not routed yet, oldest first. */
    public synchronized List<Incident> unrouted() {
        return open.values().stream().filter(incident -> !incident.isRouted()).toList();
    }

    // --- what the channels took ------------------------------------------------------------------------------

    /** Open incidents (unresolved, or resolved and still owing a notice), oldest first. */
    public synchronized List<Incident> openIncidents() {
        return List.copyOf(open.values());
    }

    public synchronized Optional<Incident> find(IncidentKey key) {
        return Optional.ofNullable(open.get(key));
    }

    public Optional<Incident> find(String tmUid, String taskId) {
        return find(IncidentKey.task(tmUid, taskId));
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
        Incident incident = open.get(key);
        if (incident == null) {
            return;
        }
        Incident next = change.apply(incident);
        if (next.isDone()) {
            close(next);
        } else if (!next.equals(incident)) {
            save(next);
        }
    }

    private void save(Incident incident) {
        journal.append(write(new Line(incident, null)));
        open.put(incident.key(), incident);
    }

    private void close(Incident incident) {
        IncidentKey key = incident.key();
        journal.append(write(new Line(null, key)));
        open.remove(key);
        if (!key.isProblem()) {
            closed.add(key); // a problem may come back; a closed task never does
        }
    }

    // --- journal lines ---------------------------------------------------------------------------------------

    private boolean replay(String line) {
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
                open.put(entry.incident().key(), entry.incident());
            } else if (entry.closed() != null) {
                open.remove(entry.closed());
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
        closed.forEach(key -> lines.add(write(new Line(null, key))));
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

    static ObjectMapper mapper() {
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
