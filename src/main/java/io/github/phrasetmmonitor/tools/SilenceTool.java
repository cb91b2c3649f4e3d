package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.cluster.ClusterDatabase;
import io.github.phrasetmmonitor.cluster.PostgresSilences;
import io.github.phrasetmmonitor.settings.ClusterSettings;
import io.github.phrasetmmonitor.settings.SettingsReader;
import io.github.phrasetmmonitor.settings.SettingsSource;
import io.github.phrasetmmonitor.settings.SilenceSettings;
import io.github.phrasetmmonitor.silence.MaintenanceWindow;
import io.github.phrasetmmonitor.silence.Silence;
import io.github.phrasetmmonitor.silence.SilenceJournal;
import io.github.phrasetmmonitor.silence.SilenceMatcher;
import io.github.phrasetmmonitor.silence.SilenceStore;
import io.github.phrasetmmonitor.silence.Silences;
import io.github.phrasetmmonitor.silence.SilencesFile;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;

/**
 * {@code silence add|list|expire}: the ad-hoc silences, kept where the monitor keeps its state (monitor.state-dir, or
 * the cluster database), so a running monitor, every node of a cluster, and a restart see them.
 *
 * <pre>
 * silence add &lt;matcher&gt;... (--for &lt;duration&gt; | --until &lt;time&gt;) [--from &lt;time&gt;] --reason &lt;text&gt; [--author &lt;name&gt;]
 * silence list [--all]
 * silence expire &lt;id&gt;
 * </pre>
 *
 * A matcher is {@code everything}, or any of {@code tm=<uid>}, {@code tm-name=<pattern>}, {@code kind=<kind>}; a
 * time is ISO-8601 with its offset ({@code 2026-12-12T22:00Z}, {@code 2026-12-12T23:00+01:00}).
 */
final class SilenceTool {

    static final String USAGE = String.join(System.lineSeparator(),
            "       java -jar phrase-tm-monitor.jar silence add <everything | tm=<uid> | tm-name=<pattern>"
                    + " | kind=<kind>>... (--for <duration> | --until <time>) [--from <time>] --reason <text>"
                    + " [--author <name>]",
            "       java -jar phrase-tm-monitor.jar silence list [--all]",
            "       java -jar phrase-tm-monitor.jar silence expire <id>");

    private final Deployment deployment;
    private final Clock clock;
    /** What this run reads and writes, opened at its first use. */
    private Silences silences;
    private final List<AutoCloseable> opened = new ArrayList<>();

    SilenceTool(Deployment deployment, Clock clock) {
        this.deployment = deployment;
        this.clock = clock;
    }

    int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            return usage(err);
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "add" -> add(rest, out, err);
                case "list" -> rest.isEmpty() || rest.equals(List.of("--all")) ? list(!rest.isEmpty(), out)
                        : usage(err);
                case "expire" -> rest.size() == 1 ? expire(rest.get(0), out, err) : usage(err);
                default -> usage(err);
            };
        } finally {
            for (AutoCloseable resource : opened) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // the command's answer is given; a pool that does not close ends with the process
                }
            }
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage:" + System.lineSeparator() + USAGE);
        return 2;
    }

    private int add(List<String> args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        String duration = null;
        String until = null;
        String from = null;
        String reason = null;
        String author = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--")) {
                if (i + 1 >= args.size()) {
                    err.println("silence add: " + arg + " needs a value");
                    return usage(err);
                }
                String value = args.get(++i);
                switch (arg) {
                    case "--for" -> duration = value;
                    case "--until" -> until = value;
                    case "--from" -> from = value;
                    case "--reason" -> reason = value;
                    case "--author" -> author = value;
                    default -> {
                        err.println("silence add: " + arg + " is not an option");
                        return usage(err);
                    }
                }
            } else {
                words.add(arg);
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            SilenceMatcher matcher = SilenceMatcher.parse(words);
            if ((duration == null) == (until == null)) {
                throw new IllegalArgumentException("give the end: --for <duration> (e.g. 2h) or --until <time>");
            }
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("give a --reason, for whoever wonders why nothing is told");
            }
            Instant start = from == null ? now : time("--from", from);
            Instant end = until != null ? time("--until", until) : start.plus(duration(duration));
            if (!end.isAfter(start) || !end.isAfter(now)) {
                throw new IllegalArgumentException("the end " + end + " is not after the start " + start
                        + " and now");
            }
            String who = author == null || author.isBlank() ? System.getProperty("user.name", "") : author;
            Silence silence = new Silence(newId(), matcher, start, end, who, reason, now, null);
            SilenceStore store = store();
            store.add(silence);
            out.println("silence add: " + silence.id() + " added: " + line(silence, now));
            out.println("Held back from now on by a running monitor (within a few seconds); kept in "
                    + store.describe() + ".");
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("silence add: " + e.getMessage());
            return 2;
        }
    }

    private int list(boolean all, PrintStream out) {
        Instant now = clock.instant();
        SilenceStore store = store();
        List<Silence> silences = store.all().stream().filter(silence -> all || silence.end().isAfter(now)).toList();
        if (silences.isEmpty()) {
            out.println("silence list: no " + (all ? "" : "active or future ") + "ad-hoc silence in "
                    + store.describe());
        }
        for (Silence silence : silences) {
            out.println(silence.id() + "  " + line(silence, now));
        }
        List<MaintenanceWindow> windows = windows();
        for (MaintenanceWindow window : windows) {
            if (all || !window.isOver(now)) {
                out.println("window " + window.name() + "  " + window.matcher().describe() + "  "
                        + window.schedule() + (window.activeAt(now) ? "  (in force now)" : ""));
            }
        }
        return 0;
    }

    private int expire(String id, PrintStream out, PrintStream err) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        SilenceStore store = store();
        Optional<Silence> known = store.all().stream().filter(silence -> silence.id().equals(id)).findFirst();
        if (known.isEmpty()) {
            err.println("silence expire: no silence " + id + " in " + store.describe() + " (silence list shows them)");
            return 1;
        }
        if (!known.get().end().isAfter(now)) {
            out.println("silence expire: " + id + " had ended already, at " + known.get().end());
            return 0;
        }
        store.expire(id, now);
        out.println("silence expire: " + id + " expired at " + now + "; what it held back is "
                + "told or dropped as alert.after-silence says");
        return 0;
    }

    private static String line(Silence silence, Instant now) {
        String state = silence.expiredAt() != null && !silence.expiredAt().isAfter(now) ? "expired " + silence.end()
                : silence.end().isAfter(now) ? (silence.activeAt(now) ? "until " + silence.end()
                : "from " + silence.startsAt() + " until " + silence.end()) : "ended " + silence.end();
        return silence.matcher().describe() + "  " + state + "  by " + silence.author() + ": " + silence.reason();
    }

    private static Instant time(String option, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " " + value + " is not a time with its offset, such as"
                    + " 2026-12-12T22:00Z or 2026-12-12T23:00+01:00");
        }
    }

    private static Duration duration(String value) {
        String text = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            Duration duration = switch (text.charAt(text.length() - 1)) {
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> null;
            };
            if (duration != null && amount > 0) {
                return duration;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException | DateTimeException e) {
            // said below
        }
        throw new IllegalArgumentException("--for " + value + " is not a duration such as 30m, 2h or 3d");
    }

    private static String newId() {
        byte[] bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The store a monitor of this deployment uses: the cluster database in cluster mode, else monitor.state-dir. */
    private SilenceStore store() {
        return silences().store();
    }

    private List<MaintenanceWindow> windows() {
        return silences().windows();
    }

    private Silences silences() {
        if (silences == null) {
            silences = silences(deployment, clock, opened);
        }
        return silences;
    }

    /**
     * The silences a monitor of this deployment holds: the windows of its silences file and the ad-hoc silences of
     * its state (a cluster's database is opened, and its schema migrated, as a start would).
     */
    static Silences silences(Deployment deployment, Clock clock, List<AutoCloseable> opened) {
        CamelContext context = deployment.offline();
        SettingsSource source = Deployment.source(context.getPropertiesComponent());
        SettingsReader reader = new SettingsReader(source);
        SilenceSettings settings = SilenceSettings.read(reader);
        Optional<ClusterSettings> cluster = ClusterSettings.from(source);
        SilenceStore store = cluster.<SilenceStore>map(found -> {
            ClusterDatabase database = ClusterDatabase.open(found);
            opened.add(database::stop);
            return new PostgresSilences(database);
        }).orElseGet(() -> new SilenceJournal(deployment.resolve(reader.text("monitor.state-dir"))));
        List<MaintenanceWindow> windows = SilencesFile.read(deployment.resolve(settings.file().toString()));
        return new Silences(windows, store, settings.dropAfterSilence() ? Silences.AfterSilence.DROP
                : Silences.AfterSilence.TELL, clock);
    }
}
