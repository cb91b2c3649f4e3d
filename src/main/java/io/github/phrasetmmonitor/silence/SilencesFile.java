package io.github.phrasetmmonitor.silence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The maintenance windows ops declare in the silences file ({@code monitor.silences-file}, {@code silences.yaml} next
 * to application.properties; no file, no windows):
 *
 * <pre>
 * windows:
 *   - name: phrase-maintenance
 *     match: everything                  # or: {tm: &lt;uid&gt;, tm-name: "Legal *", kind: [task-failed, phrase-unavailable]}
 *     from: 2026-12-12T22:00             # once: from and until are date-times
 *     until: 2026-12-13T02:00
 *     time-zone: Europe/Berlin           # default UTC
 *   - name: weekend-imports
 *     match: {tm-name: "Archive *"}
 *     weekdays: [SAT, SUN]               # every week: from and until are times of the day
 *     from: "01:00"
 *     until: "05:00"
 * </pre>
 *
 * Every mistake is one line naming the file and the line, all of them at once; start-up and {@code validate} report
 * them the way they report a template's.
 */
public final class SilencesFile {

    private static final Set<String> WINDOW_KEYS = Set.of("name", "match", "from", "until", "weekdays", "time-zone");
    private static final Set<String> MATCH_KEYS = Set.of("tm", "tm-name", "kind");

    private final Path file;
    private final List<String> problems = new ArrayList<>();

    private SilencesFile(Path file) {
        this.file = file;
    }

    /** The windows of {@code file}; none when it does not exist. */
    public static List<MaintenanceWindow> read(Path file) {
        SilencesFile reading = new SilencesFile(file);
        List<MaintenanceWindow> windows = reading.windows();
        if (!reading.problems.isEmpty()) {
            throw new InvalidSilencesException(reading.inFileOrder());
        }
        return windows;
    }

    /** Every mistake in {@code file}, one line each; none when it is fine or does not exist. */
    public static List<String> problems(Path file) {
        SilencesFile reading = new SilencesFile(file);
        reading.windows();
        return reading.inFileOrder();
    }

    /** The problems by their line in the file, those found on one line in the order found. */
    private List<String> inFileOrder() {
        String prefix = file + ":";
        return problems.stream().sorted(java.util.Comparator.comparingInt(problem -> {
            String rest = problem.substring(prefix.length());
            int colon = rest.indexOf(':');
            try {
                return colon < 0 ? 0 : Integer.parseInt(rest.substring(0, colon));
            } catch (NumberFormatException none) {
                return 0;
            }
        })).toList();
    }

    private List<MaintenanceWindow> windows() {
        if (!Files.exists(file)) {
            return List.of();
        }
        Optional<Node> root;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            root = new Compose(LoadSettings.builder().setLabel(file.toString()).build()).composeString(text);
        } catch (IOException e) {
            problems.add(file + ": cannot be read: " + e.getMessage());
            return List.of();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(mark -> mark.getLine() + 1).orElse(1);
            problems.add(file + ":" + line + ": not YAML: " + e.getProblem());
            return List.of();
        } catch (YamlEngineException e) {
            problems.add(file + ": not YAML: " + e.getMessage());
            return List.of();
        }
        if (root.isEmpty()) {
            return List.of();
        }
        if (!(root.get() instanceof MappingNode top)) {
            problems.add(at(root.get()) + "expected 'windows:' with a list of maintenance windows");
            return List.of();
        }
        List<MaintenanceWindow> windows = new ArrayList<>();
        for (NodeTuple entry : top.getValue()) {
            String key = scalar(entry.getKeyNode()).orElse("?");
            if (!"windows".equals(key)) {
                problems.add(at(entry.getKeyNode()) + "'" + key + "' is unknown; the file has 'windows:'");
                continue;
            }
            if (entry.getValueNode() instanceof ScalarNode empty && empty.getValue().isEmpty()) {
                continue;
            }
            if (!(entry.getValueNode() instanceof SequenceNode list)) {
                problems.add(at(entry.getValueNode()) + "'windows' must be a list of maintenance windows");
                continue;
            }
            Set<String> names = new LinkedHashSet<>();
            for (Node item : list.getValue()) {
                window(item).ifPresent(window -> {
                    if (!names.add(window.name())) {
                        problems.add(at(item) + "a second window named '" + window.name() + "'; names are unique");
                    } else {
                        windows.add(window);
                    }
                });
            }
        }
        return windows;
    }

    private Optional<MaintenanceWindow> window(Node item) {
        if (!(item instanceof MappingNode mapping)) {
            problems.add(at(item) + "a maintenance window has name, match, from, until, and weekdays or not");
            return Optional.empty();
        }
        int before = problems.size();
        Map<String, Node> fields = fields(mapping, WINDOW_KEYS, "a maintenance window");
        String name = fields.containsKey("name") ? text(fields.get("name"), "name") : null;
        if (name == null || name.isBlank()) {
            problems.add(at(item) + "a maintenance window needs a name");
        }
        String label = name == null ? "a maintenance window" : "window '" + name + "'";
        SilenceMatcher matcher = fields.containsKey("match") ? matcher(fields.get("match"), label) : null;
        if (!fields.containsKey("match")) {
            problems.add(at(item) + label + " needs 'match': everything, or tm, tm-name and kind");
        }
        ZoneId zone = ZoneOffset.UTC;
        if (fields.containsKey("time-zone")) {
            String value = text(fields.get("time-zone"), "time-zone");
            try {
                zone = ZoneId.of(value);
            } catch (DateTimeException e) {
                problems.add(at(fields.get("time-zone")) + label + ": time-zone '" + value
                        + "' is not a time zone (e.g. Europe/Berlin, UTC)");
            }
        }
        if (!fields.containsKey("from") || !fields.containsKey("until")) {
            problems.add(at(item) + label + " needs 'from' and 'until'");
            return Optional.empty();
        }
        Node fromNode = fields.get("from");
        Node untilNode = fields.get("until");
        MaintenanceWindow window = null;
        if (fields.containsKey("weekdays")) {
            Set<DayOfWeek> days = weekdays(fields.get("weekdays"), label);
            LocalTime from = time(fromNode, label, "from", false);
            LocalTime until = time(untilNode, label, "until", true);
            if (from != null && until != null && !days.isEmpty() && problems.size() == before) {
                window = MaintenanceWindow.weekly(name, line(item), matcher, zone, days, from, until);
            }
        } else {
            LocalDateTime from = dateTime(fromNode, label, "from", zone);
            LocalDateTime until = dateTime(untilNode, label, "until", zone);
            if (from != null && until != null && !until.isAfter(from)) {
                problems.add(at(untilNode) + label + ": 'until' " + until + " is not after 'from' " + from);
            }
            if (from != null && until != null && problems.size() == before) {
                window = MaintenanceWindow.once(name, line(item), matcher, zone, from, until);
            }
        }
        return problems.size() == before ? Optional.ofNullable(window) : Optional.empty();
    }

    private SilenceMatcher matcher(Node node, String label) {
        if (node instanceof ScalarNode scalar) {
            if ("everything".equals(scalar.getValue())) {
                return SilenceMatcher.EVERYTHING;
            }
            problems.add(at(node) + label + ": 'match' is everything, or a mapping of tm, tm-name and kind");
            return null;
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.add(at(node) + label + ": 'match' is everything, or a mapping of tm, tm-name and kind");
            return null;
        }
        int before = problems.size();
        Map<String, Node> fields = fields(mapping, MATCH_KEYS, label + "'s match");
        Set<String> kinds = new LinkedHashSet<>();
        if (fields.containsKey("kind")) {
            for (Node kind : items(fields.get("kind"))) {
                String value = text(kind, "kind");
                if (value != null && !SilenceMatcher.isKind(value)) {
                    problems.add(at(kind) + label + ": kind '" + value + "' is not one of "
                            + SilenceMatcher.knownKinds());
                } else if (value != null) {
                    kinds.add(value);
                }
            }
        }
        String tm = fields.containsKey("tm") ? text(fields.get("tm"), "tm") : null;
        String tmName = fields.containsKey("tm-name") ? text(fields.get("tm-name"), "tm-name") : null;
        SilenceMatcher matcher = new SilenceMatcher(tm, tmName, kinds);
        if (matcher.isEverything() && problems.size() == before) {
            problems.add(at(node) + label + ": an empty 'match' would match everything; write match: everything");
            return null;
        }
        return matcher;
    }

    private Set<DayOfWeek> weekdays(Node node, String label) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (Node item : items(node)) {
            String value = text(item, "weekdays");
            if (value == null) {
                continue;
            }
            String[] range = value.split("-", 2);
            Optional<DayOfWeek> first = day(range[0]);
            Optional<DayOfWeek> last = range.length == 2 ? day(range[1]) : first;
            if (first.isEmpty() || last.isEmpty()) {
                problems.add(at(item) + label + ": weekday '" + value + "' is not MON, TUE, WED, THU, FRI, SAT, SUN"
                        + " or a range such as MON-FRI");
                continue;
            }
            for (DayOfWeek day = first.get(); ; day = day.plus(1)) {
                days.add(day);
                if (day == last.get()) {
                    break;
                }
            }
        }
        if (days.isEmpty() && items(node).isEmpty()) {
            problems.add(at(node) + label + ": 'weekdays' lists no day");
        }
        return days;
    }

    private static Optional<DayOfWeek> day(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (value.length() >= 3 && day.name().startsWith(value)) {
                return Optional.of(day);
            }
        }
        return Optional.empty();
    }

    private LocalTime time(Node node, String label, String key, boolean mayBeMidnight) {
        String value = text(node, key);
        if (value == null) {
            return null;
        }
        if (mayBeMidnight && "24:00".equals(value.trim())) {
            return LocalTime.MIDNIGHT;
        }
        try {
            return LocalTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            problems.add(at(node) + label + ": '" + key + "' " + value + " is not a time of day such as 02:00"
                    + " (with weekdays, from and until are times)");
            return null;
        }
    }

    private LocalDateTime dateTime(Node node, String label, String key, ZoneId zone) {
        String value = text(node, key);
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.trim());
        } catch (DateTimeParseException local) {
            try {
                return OffsetDateTime.parse(value.trim()).atZoneSameInstant(zone).toLocalDateTime();
            } catch (DateTimeParseException offset) {
                problems.add(at(node) + label + ": '" + key + "' " + value + " is not a date-time such as"
                        + " 2026-12-12T22:00 (or add weekdays for a weekly window)");
                return null;
            }
        }
    }

    private Map<String, Node> fields(MappingNode mapping, Set<String> known, String what) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode()).orElse("?");
            if (!known.contains(key)) {
                problems.add(at(tuple.getKeyNode()) + "'" + key + "' is unknown in " + what + "; it may have "
                        + String.join(", ", known.stream().sorted().toList()));
            } else {
                fields.put(key, tuple.getValueNode());
            }
        }
        return fields;
    }

    private static List<Node> items(Node node) {
        return node instanceof SequenceNode list ? list.getValue() : List.of(node);
    }

    private String text(Node node, String key) {
        Optional<String> value = scalar(node);
        if (value.isEmpty()) {
            problems.add(at(node) + "'" + key + "' must be a single value");
            return null;
        }
        return value.get();
    }

    private static Optional<String> scalar(Node node) {
        return node instanceof ScalarNode scalar ? Optional.of(scalar.getValue()) : Optional.empty();
    }

    private static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(1);
    }

    private String at(Node node) {
        return file + ":" + line(node) + ": ";
    }
}
