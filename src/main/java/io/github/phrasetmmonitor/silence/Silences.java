package io.github.phrasetmmonitor.silence;

import io.github.phrasetmmonitor.state.Incident;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The one place that answers "is this incident silenced now, and by which silence?": the maintenance windows of the
 * silences file and the ad-hoc silences of the state. A silenced incident is recorded, counted and shown as usual; only
 * its notices are held back ({@code AlertPlanner}), and what becomes of them when the silence ends is
 * {@link AfterSilence}.
 *
 * <p>The ad-hoc silences are read from their store at most once per {@link #REFRESH}: a delivery pass asks for every
 * open incident, and a silence added by the command beside a running monitor is in force within that much of its
 * next pass.
 */
public final class Silences {

    /** How long the ad-hoc silences read from the store are used before they are read again. */
    static final Duration REFRESH = Duration.ofSeconds(1);

    /** What is done, when the silence ends, with the notices it held back ({@code alert.after-silence}). */
    public enum AfterSilence {
        /** What is still open is told, once: the held-back alerts go out; what was resolved meanwhile unheard is dropped. */
        TELL,
        /** The held-back notices count as told without being sent. */
        DROP
    }

    /** What silences an incident: its label ({@code window <name>} or {@code silence <id>}) and until when. */
    public record Silencing(String by, Instant until) {
    }

    public static final Silences NONE = new Silences(List.of(), SilenceStore.NONE, AfterSilence.TELL,
            Clock.systemUTC());

    /** Replaced whole by a reload of the configuration (the silences file read again). */
    private volatile List<MaintenanceWindow> windows;
    private final SilenceStore store;
    private final AfterSilence afterSilence;
    private final Clock clock;
    /** The store's silences and when they were read (System.nanoTime). Guarded by this. */
    private List<Silence> adHoc = List.of();
    private long readAt;
    private boolean read;

    public Silences(List<MaintenanceWindow> windows, SilenceStore store, AfterSilence afterSilence, Clock clock) {
        this.windows = List.copyOf(windows);
        this.store = store;
        this.afterSilence = afterSilence;
        this.clock = clock;
    }

    public AfterSilence afterSilence() {
        return afterSilence;
    }

    /** From now on, the maintenance windows are {@code newer}: the silences file as a reload read it. */
    public void replaceWindows(List<MaintenanceWindow> newer) {
        this.windows = List.copyOf(newer);
    }

    public List<MaintenanceWindow> windows() {
        return windows;
    }

    public SilenceStore store() {
        return store;
    }

    /** The silence or window that silences {@code incident} now, the one that ends last when several do. */
    public Optional<Silencing> silencing(Incident incident) {
        return silencing(incident, clock.instant());
    }

    public Optional<Silencing> silencing(Incident incident, Instant now) {
        return silencingWhere(matcher -> matcher.matches(incident), now);
    }

    /**
     * What silences an incident of {@code kind} about TM {@code tmUid} named {@code tmName} at {@code now}, for
     * explain.
     */
    public Optional<Silencing> silencing(String tmUid, String tmName, String kind, Instant now) {
        return silencingWhere(matcher -> matcher.matches(tmUid, tmName, kind), now);
    }

    private Optional<Silencing> silencingWhere(Predicate<SilenceMatcher> matches, Instant now) {
        if (windows.isEmpty() && store == SilenceStore.NONE) {
            return Optional.empty();
        }
        List<Silencing> found = new ArrayList<>();
        for (MaintenanceWindow window : windows) {
            if (matches.test(window.matcher())) {
                window.endOfActive(now).ifPresent(end -> found.add(new Silencing(window.label(), end)));
            }
        }
        for (Silence silence : adHoc()) {
            if (silence.activeAt(now) && matches.test(silence.matcher())) {
                found.add(new Silencing(silence.label(), silence.end()));
            }
        }
        return found.stream().max(Comparator.comparing(Silencing::until));
    }

    /**
     * The windows and silences that match an incident of {@code kind} about the TM, in force now or later, each with
     * when: for explain, which says when a task would be silenced.
     */
    public List<String> schedule(String tmUid, String tmName, String kind, Instant now) {
        List<String> lines = new ArrayList<>();
        for (MaintenanceWindow window : windows) {
            if (window.matcher().matches(tmUid, tmName, kind) && !window.isOver(now)) {
                String when = window.endOfActive(now).map(end -> "in force now, until " + end)
                        .orElseGet(() -> window.nextStart(now).map(start -> "next from " + start).orElse(""));
                lines.add(window.label() + " (" + window.schedule() + ", match " + window.matcher().describe()
                        + "): " + when);
            }
        }
        for (Silence silence : adHoc()) {
            if (silence.matcher().matches(tmUid, tmName, kind) && silence.end().isAfter(now)) {
                String when = silence.activeAt(now) ? "in force now, until " + silence.end()
                        : "from " + silence.startsAt() + " until " + silence.end();
                lines.add(silence.label() + " (match " + silence.matcher().describe() + ", by " + silence.author()
                        + ": " + silence.reason() + "): " + when);
            }
        }
        return lines;
    }

    /** The windows and ad-hoc silences in force now, for the metrics. */
    public int activeWindows() {
        Instant now = clock.instant();
        return (int) windows.stream().filter(window -> window.activeAt(now)).count();
    }

    public int activeAdHoc() {
        Instant now = clock.instant();
        return (int) adHoc().stream().filter(silence -> silence.activeAt(now)).count();
    }

    /** The store's silences, read again at most once per {@link #REFRESH}; the last read ones when it fails. */
    public synchronized List<Silence> adHoc() {
        long now = System.nanoTime();
        if (!read || now - readAt > REFRESH.toNanos()) {
            try {
                adHoc = store.all();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger("phrase-tm-monitor.alert").warn(
                        "Cannot read the ad-hoc silences from {} ({}); the ones read before stay in force",
                        store.describe(), e.getMessage());
            }
            readAt = now;
            read = true;
        }
        return adHoc;
    }
}
