package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.github.phrasetmmonitor.text.SafeText;
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
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's memory of failed tasks, kept in {@code monitor.state-dir/alerts-sent.journal} so that "alert once",
 * reminders, pending alerts and resolved notices hold across restarts.
 *
 * <p>One {@link FailureRecord} per failed task (TM uid and task id) from detection until it is closed. Every change is
 * one appended, fsynced JSON line holding the whole new record (the last line for a task wins); closing writes a
 * tombstone, kept so a closed task is never alerted again. A delivery is written only after the channel took it, so
 * a crash mid-delivery at worst sends that one message again. A line torn by a crash is ignored and the journal is
 * rewritten compactly on start. Lines of the 0.1 alert ledger ({@code +<channel>:<tm>:<task>}) are still read: such
 * an alert counts as delivered on that channel when its failure is seen again, so an upgrade re-sends nothing.
 *
 * <p>The journal holds Phrase's text, webhook names and email addresses, never a secret.
 */
public final class AlertState extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.alert");
    private static final String LEGACY_SENT = "+";
    private static final String LEGACY_FORGOTTEN = "-";

    /** One journal line: either a record, or the tombstone of a closed task. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(FailureRecord failure, Key closed) {
    }

    /**
     * A failed task: the TM and its task id, bounded as {@link FailureFacts} bounds them, so that the tombstone of a
     * task with a long id, written by an earlier release as Phrase sent it, still matches the task when it is polled.
     */
    public record Key(String tmUid, String taskId) {
        public Key {
            tmUid = SafeText.id(tmUid);
            taskId = SafeText.id(taskId);
        }

        static Key of(FailureRecord record) {
            return new Key(record.tmUid(), record.taskId());
        }
    }

    private final StateJournal journal;
    private final Clock clock;
    private final boolean sendResolved;
    private final ObjectMapper json = mapper();

    private final Map<Key, FailureRecord> open = new LinkedHashMap<>();
    private final Set<Key> closed = new HashSet<>();
    private final Set<String> legacySent = new HashSet<>();

    public AlertState(Path journalFile, Clock clock, boolean sendResolved) {
        this.journal = new StateJournal(journalFile);
        this.clock = clock;
        this.sendResolved = sendResolved;
    }

    public Path journal() {
        return journal.file();
    }

    @Override
    protected synchronized void doStart() throws IOException {
        open.clear();
        closed.clear();
        legacySent.clear();
        int unreadable = 0;
        int records = 0;
        for (String line : journal.open()) {
            if (line.isBlank()) {
                continue;
            }
            if (replay(line)) {
                records++;
            } else {
                unreadable++;
            }
        }
        if (records == 0 && unreadable > 0) {
            journal.moveAside("no line of it is a state record");
        } else if (unreadable > 0) {
            LOG.warn("State journal {} had {} unreadable line(s); ignored them", journal.file(), unreadable);
        }
        journal.rewrite(compacted());
        LOG.info("Alert state {} holds {} open failure(s)", journal.file(), open.size());
    }

    @Override
    protected synchronized void doStop() throws IOException {
        journal.close();
    }

    // --- what the polls report -------------------------------------------------------------------------------

    /**
     * A TM's last task failed. A task seen for the first time becomes a new record, pending on every channel of its
     * routing; it supersedes an unresolved failure of an earlier task of the same TM. A known or closed task changes
     * nothing.
     *
     * @return true when this is a new failure
     */
    public synchronized boolean failed(FailureFacts facts, Routing routing) {
        Key key = new Key(facts.tmUid(), facts.taskId());
        if (closed.contains(key) || open.containsKey(key)) {
            return false;
        }
        for (FailureRecord earlier : List.copyOf(open.values())) {
            if (earlier.tmUid().equals(facts.tmUid()) && !earlier.isResolved()) {
                LOG.info("TM {}: failed task {} is superseded by failed task {}; alerting the new one",
                        facts.tmUid(), earlier.taskId(), facts.taskId());
                close(earlier);
            }
        }
        Instant now = clock.instant();
        FailureRecord record = FailureRecord.detected(facts, routing, now);
        for (String channel : routing.channels()) {
            if (legacySent.contains(channel + ":" + facts.tmUid() + ":" + facts.taskId())) {
                record = record.withAlerted(channel, channel, now);
            }
        }
        save(record);
        return true;
    }

    /**
     * A TM's last task finished without error. An unresolved failure of another task of that TM is resolved: its
     * carriers are owed a resolved notice (with {@code alert.send-resolved}), or it is closed when no channel ever
     * took its alert, or resolved notices are off.
     */
    public synchronized void succeeded(String tmUid, String taskId, String action, String finished) {
        // called for every TM that is OK: copy only the (rare) records it resolves, not every open failure
        List<FailureRecord> resolved = open.values().stream()
                .filter(record -> record.tmUid().equals(tmUid) && !record.isResolved()
                        && !record.taskId().equals(taskId))
                .toList();
        for (FailureRecord record : resolved) {
            if (record.carriers().isEmpty()) {
                LOG.warn("TM {}: failed task {} was resolved by task {} before any channel took its alert;"
                        + " the alert is no longer sent", tmUid, record.taskId(), taskId);
                close(record);
            } else if (!sendResolved) {
                LOG.info("TM {}: failed task {} resolved by task {} (alert.send-resolved=false: no notice)",
                        tmUid, record.taskId(), taskId);
                close(record);
            } else {
                LOG.info("TM {}: failed task {} resolved by task {}", tmUid, record.taskId(), taskId);
                save(record.withResolution(new FailureRecord.Resolution(taskId, action, finished, clock.instant(),
                        Set.of())));
            }
        }
    }

    // --- what the channels took ------------------------------------------------------------------------------

    /** Open records (unresolved, or resolved and still owing a notice), oldest first. */
    public synchronized List<FailureRecord> openFailures() {
        return List.copyOf(open.values());
    }

    public synchronized Optional<FailureRecord> find(String tmUid, String taskId) {
        return Optional.ofNullable(open.get(new Key(tmUid, taskId)));
    }

    /** A failure alert reached {@code target}'s people on {@code via}. Written before it counts. */
    public synchronized void alerted(Key key, String target, String via) {
        update(key, record -> record.withAlerted(target, via, clock.instant()));
    }

    public synchronized void reminded(Key key, String carrier) {
        update(key, record -> record.withReminded(carrier, clock.instant()));
    }

    public synchronized void notifiedResolved(Key key, String carrier) {
        update(key, record -> record.isResolved() ? record.withNotified(carrier) : record);
    }

    public Instant now() {
        return clock.instant();
    }

    private void update(Key key, java.util.function.UnaryOperator<FailureRecord> change) {
        FailureRecord record = open.get(key);
        if (record == null) {
            return;
        }
        FailureRecord next = change.apply(record);
        if (next.isDone()) {
            close(next);
        } else if (!next.equals(record)) {
            save(next);
        }
    }

    private void save(FailureRecord record) {
        journal.append(write(new Line(record, null)));
        open.put(Key.of(record), record);
    }

    private void close(FailureRecord record) {
        Key key = Key.of(record);
        journal.append(write(new Line(null, key)));
        open.remove(key);
        closed.add(key);
    }

    // --- journal lines ---------------------------------------------------------------------------------------

    private boolean replay(String line) {
        if (line.isBlank()) {
            return true;
        }
        if (line.startsWith(LEGACY_SENT) && line.length() > 1) {
            legacySent.add(decodeLegacy(line.substring(1)));
            return true;
        }
        if (line.startsWith(LEGACY_FORGOTTEN) && line.length() > 1) {
            legacySent.remove(decodeLegacy(line.substring(1)));
            return true;
        }
        try {
            Line entry = json.readValue(line, Line.class);
            if (entry.failure() != null) {
                open.put(Key.of(entry.failure()), entry.failure());
            } else if (entry.closed() != null) {
                open.remove(entry.closed());
                closed.add(entry.closed());
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
        legacySent.stream().sorted().forEach(key -> lines.add(LEGACY_SENT + encodeLegacy(key)));
        closed.forEach(key -> lines.add(write(new Line(null, key))));
        open.values().forEach(record -> lines.add(write(new Line(record, null))));
        return lines;
    }

    private String write(Line line) {
        try {
            return json.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state journal line", e);
        }
    }

    private static String encodeLegacy(String key) {
        return key.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String decodeLegacy(String stored) {
        return stored.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
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
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
