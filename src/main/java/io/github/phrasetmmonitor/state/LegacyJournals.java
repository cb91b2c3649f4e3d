package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The journals of the releases before the incident journal, read once on upgrade:
 * <ul>
 *   <li>{@code alerts-sent.journal}: failure records and tombstones (read as incidents as they are), and the 0.1
 *   ledger lines {@code +<channel>:<tm>:<task>} (such an alert counts as delivered on that channel when its failure
 *   is seen again)</li>
 *   <li>{@code monitor-problems.journal}: one line per change of a problem ({@code {"problem":{…}}}) or a tombstone
 *   ({@code {"closed":"<key>"}}), turned into problem incidents: what each channel was told stays told, a recovery
 *   still owed is still sent; a problem no channel heard of yet is routed by today's rules</li>
 * </ul>
 * A line torn by a crash (the file's last, without a line break) is ignored, as the journal itself does.
 */
final class LegacyJournals {

    static final String ALERTS = "alerts-sent.journal";
    static final String PROBLEMS = "monitor-problems.journal";
    static final String LEDGER_SENT = "+";
    static final String LEDGER_FORGOTTEN = "-";

    /** A problem as the problem journal kept it. */
    record Problem(String key, String subject, String what, Instant since, String lastError, List<String> channels,
                   Set<String> announced, Instant recoveredAt, Set<String> recoveryAnnounced) {
    }

    record ProblemLine(Problem problem, String closed) {
    }

    private final Path alerts;
    private final Path problems;
    private final ObjectMapper json;
    private final Map<String, String> defaultDestinations;

    LegacyJournals(Path dir, ObjectMapper json, Map<String, String> defaultDestinations) {
        this.alerts = dir.resolve(ALERTS);
        this.problems = dir.resolve(PROBLEMS);
        this.json = json;
        this.defaultDestinations = defaultDestinations;
    }

    boolean exist() {
        return Files.isRegularFile(alerts) || Files.isRegularFile(problems);
    }

    String describe() {
        return ALERTS + ", " + PROBLEMS;
    }

    /** Their content as lines of the incident journal (the ledger lines kept as they are). */
    List<String> lines() throws IOException {
        List<String> lines = new ArrayList<>(completeLines(alerts));
        Map<String, Problem> open = new LinkedHashMap<>();
        for (String text : completeLines(problems)) {
            try {
                ProblemLine line = json.readValue(text, ProblemLine.class);
                if (line.problem() != null) {
                    open.put(line.problem().key(), line.problem());
                } else if (line.closed() != null) {
                    open.remove(line.closed());
                }
            } catch (IOException | RuntimeException unreadable) {
                lines.add(text); // counted as unreadable by the replay
            }
        }
        for (Problem problem : open.values()) {
            lines.add(json.writeValueAsString(new IncidentState.Line(incident(problem), null)));
        }
        return lines;
    }

    /** Renames the journals read, so the next start reads only the incident journal. */
    void markUpgraded() throws IOException {
        for (Path file : List.of(alerts, problems)) {
            if (Files.isRegularFile(file)) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".upgraded"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private Incident incident(Problem problem) {
        String key = problem.key();
        int colon = key.indexOf(':');
        String tmUid = colon > 0 && key.startsWith("tm-") ? key.substring(colon + 1) : null;
        ProblemFacts facts = new ProblemFacts(key, tmUid, null, problem.subject(), problem.what(),
                problem.since() == null ? Instant.EPOCH : problem.since(), problem.lastError());
        Set<String> announced = problem.announced() == null ? Set.of() : problem.announced();
        if (announced.isEmpty()) {
            return Incident.detected(facts, facts.since()); // routed by today's rules
        }
        Set<String> channels = new LinkedHashSet<>(problem.channels() == null ? List.of() : problem.channels());
        channels.addAll(announced);
        channels.retainAll(defaultDestinations.keySet());
        Map<String, Incident.Delivery> alerted = new LinkedHashMap<>();
        announced.stream().filter(channels::contains)
                .forEach(channel -> alerted.put(channel, new Incident.Delivery(channel, facts.since())));
        Incident.Resolution resolution = problem.recoveredAt() == null ? null
                : new Incident.Resolution(null, null, null, problem.recoveredAt(), problem.recoveryAnnounced());
        return new Incident(null, facts, new Routing(List.copyOf(channels), defaultDestinations), facts.since(),
                alerted, Map.of(), resolution, Map.of());
    }

    /** The ledger entry ({@code channel:tm:task}) of a 0.1 ledger line, if it is one. */
    static Optional<String> ledgerEntry(String line) {
        if ((line.startsWith(LEDGER_SENT) || line.startsWith(LEDGER_FORGOTTEN)) && line.length() > 1) {
            return Optional.of(line.substring(1).replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%"));
        }
        return Optional.empty();
    }

    static String ledgerLine(String entry) {
        return LEDGER_SENT + entry.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static List<String> completeLines(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end + 1).lines().filter(line -> !line.isBlank()).toList();
    }
}
