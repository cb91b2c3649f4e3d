package io.github.phrasetmmonitor.metrics;

import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.classify.TaskOutcome;
import io.github.phrasetmmonitor.health.MonitorHealth;
import io.github.phrasetmmonitor.phrase.RequestBudget;
import io.github.phrasetmmonitor.silence.Silences;
import io.github.phrasetmmonitor.state.Incident;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The monitor's own meters, next to Camel's on {@code /observe/metrics}; docs/health-and-metrics.md lists them,
 * and the help texts here are its words (HealthAndMetricsTest compares them). Every label value the monitor knows of
 * (each outcome, each poll error kind, each configured channel with each notice kind) is exported from start-up at 0,
 * so that Prometheus' {@code increase()} has a series to evaluate before the first event.
 */
public final class MonitorMetrics {

    static final String POLLS_HELP = "TM checks: FAILED, NO_TASK, RUNNING, OK_WITH_WARNINGS, OK, or ERROR when the"
            + " check failed";
    static final String POLL_ERRORS_HELP = "failed checks: " + String.join(", ", PollErrorKind.ALL)
            + ". When Phrase refuses the credentials, only the refused check counts, not the TMs the round then skips";
    static final String ALERTS_SENT_HELP = "notices a channel took (kind is alert, digest, reminder, resolved, or"
            + " problem and recovered for problems of the monitor)";
    static final String ALERTS_FAILED_HELP = "deliveries that failed after their retries (channel and kind as above);"
            + " the alert goes out on a later round";
    static final String ROUND_DURATION_HELP = "how long a round took (count, sum, max)";
    static final String TMS_WATCHED_HELP = "the TMs the last round was given: the uids in monitor.tm-uids, or those"
            + " the account listed, less monitor.tm-exclude-uids; 0 before the first round";
    static final String LAST_SUCCESS_HELP = "when the last successful round ended (Unix time), 0 before the first;"
            + " in a cluster, the last of any node";
    static final String OPEN_INCIDENTS_HELP = "incidents open now and not resolved: failed tasks (task-failed),"
            + " stuck tasks (task-stuck) and the monitor's own problems (problem)";
    static final String PHRASE_REQUESTS_HELP = "calls to Phrase started (sign-in, TM list, TM details,"
            + " lastBackgroundTask), each drawn from the request budget";
    static final String PHRASE_REQUESTS_IN_FLIGHT_HELP = "calls to Phrase under way now";
    static final String BUDGET_PER_MINUTE_HELP = "the calls per minute the monitor allows itself"
            + " (phrase.max-requests-per-minute)";
    static final String BUDGET_CONCURRENT_HELP = "the calls at once the monitor allows itself"
            + " (phrase.max-concurrent-requests)";
    static final String RATE_LIMITED_HELP = "times Phrase answered 429 Too Many Requests and every call paused";
    static final String INCIDENTS_SILENCED_HELP = "open incidents a silence or maintenance window holds back now:"
            + " recorded, not delivered";
    static final String SILENCES_ACTIVE_HELP = "silences in force now: source window (the silences file) or ad-hoc"
            + " (the silence command)";
    static final String RELOAD_SUCCESSFUL_HELP = "1 when the last reload of the configuration was applied (or none was"
            + " asked since start-up), 0 when it was refused and the configuration before it is still in force";
    static final String RELOAD_SUCCESS_TIME_HELP = "when the configuration in force was applied (Unix time): the start,"
            + " or the last successful reload";
    static final String RELOADS_HELP = "reloads of the configuration asked (SIGHUP, POST /-/reload, a changed file),"
            + " by outcome: success or failure";
    static final String CONFIG_INFO_HELP = "always 1; hash is a digest of the configuration in force (the properties"
            + " files, ops' route files and the templates), node this node's cluster.node-name (empty in one process),"
            + " so nodes on different files show different hashes";
    /** The outcome of a check that failed: not a {@link TaskOutcome}, the task was not seen. */
    public static final String ERROR_OUTCOME = "ERROR";
    static final String RELOAD_SUCCESS = "success";
    static final String RELOAD_FAILURE = "failure";
    private static final java.util.List<String> RELOAD_OUTCOMES = java.util.List.of(RELOAD_SUCCESS, RELOAD_FAILURE);

    private final MeterRegistry registry;
    private final Timer roundDuration;
    private final Map<String, Counter> pollsByOutcome = new ConcurrentHashMap<>();
    private final Map<String, Counter> pollErrorsByKind = new ConcurrentHashMap<>();
    private final Map<String, Counter> alertsSent = new ConcurrentHashMap<>();
    private final Map<String, Counter> alertsFailed = new ConcurrentHashMap<>();
    private volatile RoundTally rounds = RoundTally.NONE;

    /** Told of each check's outcome and each round's end, as the meters are: the summaries count rounds so. */
    public interface RoundTally {
        RoundTally NONE = new RoundTally() { };

        default void checked(String outcome) {
        }

        default void roundFinished() {
        }
    }
    private final java.util.concurrent.atomic.AtomicInteger reloadSuccessful = new java.util.concurrent.atomic.AtomicInteger(1);
    private final java.util.concurrent.atomic.AtomicReference<Instant> configurationApplied =
            new java.util.concurrent.atomic.AtomicReference<>(Instant.now());
    private final Map<String, Counter> reloads = new ConcurrentHashMap<>();
    /** This node's name, a label of the configuration's info gauge; guarded by this. */
    private String node = "";
    private final java.util.concurrent.atomic.AtomicReference<Gauge> configurationInfo =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** @param channels the channels with settings (alert.channels and alert.fallback-channel) */
    public MonitorMetrics(MeterRegistry registry, MonitorHealth health, IntSupplier tmsWatched,
                          Collection<String> channels) {
        this.registry = registry;
        this.roundDuration = Timer.builder("phrase.monitor.round.duration")
                .description(ROUND_DURATION_HELP)
                .register(registry);
        Gauge.builder("phrase.monitor.tms.watched", tmsWatched::getAsInt)
                .description(TMS_WATCHED_HELP)
                .register(registry);
        Gauge.builder("phrase.monitor.last.successful.round.timestamp", health,
                        h -> h.lastSuccessfulRound().map(MonitorMetrics::epochSeconds).orElse(0.0))
                .description(LAST_SUCCESS_HELP)
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("phrase.monitor.config.last.reload.successful", reloadSuccessful::get)
                .description(RELOAD_SUCCESSFUL_HELP)
                .register(registry);
        Gauge.builder("phrase.monitor.config.last.reload.success.timestamp", configurationApplied,
                        applied -> epochSeconds(applied.get()))
                .description(RELOAD_SUCCESS_TIME_HELP)
                .baseUnit("seconds")
                .register(registry);
        RELOAD_OUTCOMES.forEach(this::reloadCounter);
        for (TaskOutcome outcome : TaskOutcome.values()) {
            pollCounter(outcome.name());
        }
        pollCounter(ERROR_OUTCOME);
        PollErrorKind.ALL.forEach(this::pollErrorCounter);
        for (String channel : channels) {
            for (String kind : Notice.METRIC_KINDS) {
                sentCounter(channel, kind);
                failedCounter(channel, kind);
            }
        }
    }

    /** Open incidents by kind, counted at each scrape. */
    public void watchOpenIncidents(Collection<String> kinds, ToIntFunction<String> unresolved) {
        for (String kind : kinds) {
            Gauge.builder("phrase.monitor.open.incidents", () -> unresolved.applyAsInt(kind))
                    .description(OPEN_INCIDENTS_HELP).tag("kind", kind).register(registry);
        }
    }

    /** From now on, {@code tally} is told of every check and round too. */
    public void tallyRoundsIn(RoundTally tally) {
        this.rounds = tally;
    }

    /** The request budget every call to Phrase draws from: its use against its limits. */
    public void watchRequestBudget(RequestBudget budget) {
        FunctionCounter.builder("phrase.monitor.phrase.requests", budget, RequestBudget::started)
                .description(PHRASE_REQUESTS_HELP).register(registry);
        Gauge.builder("phrase.monitor.phrase.requests.in.flight", budget, RequestBudget::inFlight)
                .description(PHRASE_REQUESTS_IN_FLIGHT_HELP).register(registry);
        Gauge.builder("phrase.monitor.phrase.request.budget.per.minute", budget, RequestBudget::maxPerMinute)
                .description(BUDGET_PER_MINUTE_HELP).register(registry);
        Gauge.builder("phrase.monitor.phrase.request.budget.concurrent", budget, RequestBudget::maxConcurrent)
                .description(BUDGET_CONCURRENT_HELP).register(registry);
        FunctionCounter.builder("phrase.monitor.phrase.rate.limited", budget, RequestBudget::pauses)
                .description(RATE_LIMITED_HELP).register(registry);
    }

    public void poll(String outcome) {
        // called for every TM check: look the counter up once per outcome, not a builder and an id per call
        pollCounter(outcome).increment();
        rounds.checked(outcome);
    }

    public void pollError(String kind) {
        pollErrorCounter(kind).increment();
    }

    public void alertSent(String channel, String kind) {
        sentCounter(channel, kind).increment();
    }

    public void alertFailed(String channel, String kind) {
        failedCounter(channel, kind).increment();
    }

    /** The configuration in force: its digest, on this node; {@code applied} is when it was. */
    public synchronized void configurationInForce(String hash, String node, Instant applied) {
        this.node = node;
        Gauge previous = configurationInfo.getAndSet(Gauge.builder("phrase.monitor.config.info", () -> 1)
                .description(CONFIG_INFO_HELP).tag("hash", hash).tag("node", node).register(registry));
        if (previous != null && !previous.getId().equals(configurationInfo.get().getId())) {
            registry.remove(previous);
        }
        configurationApplied.set(applied);
    }

    /** As {@link #configurationInForce(String, String, Instant)}, on the node named before. */
    public synchronized void configurationInForce(String hash, Instant applied) {
        configurationInForce(hash, node, applied);
    }

    /** A reload was applied: {@link #configurationInForce} says what is in force now. */
    public void reloadSucceeded() {
        reloadSuccessful.set(1);
        reloadCounter(RELOAD_SUCCESS).increment();
    }

    /** A reload was refused: the configuration before it stays in force. */
    public void reloadFailed() {
        reloadSuccessful.set(0);
        reloadCounter(RELOAD_FAILURE).increment();
    }

    public void roundFinished(Duration took) {
        roundDuration.record(took);
        rounds.roundFinished();
    }

    private Counter reloadCounter(String outcome) {
        return reloads.computeIfAbsent(outcome, key -> Counter.builder("phrase.monitor.config.reloads")
                .description(RELOADS_HELP).tag("outcome", key).register(registry));
    }

    private Counter pollCounter(String outcome) {
        return pollsByOutcome.computeIfAbsent(outcome, key -> Counter.builder("phrase.monitor.polls")
                .description(POLLS_HELP).tag("outcome", key).register(registry));
    }

    private Counter pollErrorCounter(String kind) {
        return pollErrorsByKind.computeIfAbsent(kind, key -> Counter.builder("phrase.monitor.poll.errors")
                .description(POLL_ERRORS_HELP).tag("kind", key).register(registry));
    }

    private Counter sentCounter(String channel, String kind) {
        return alertsSent.computeIfAbsent(channel + "\n" + kind, key -> Counter.builder("phrase.monitor.alerts.sent")
                .description(ALERTS_SENT_HELP).tag("channel", channel).tag("kind", kind).register(registry));
    }

    private Counter failedCounter(String channel, String kind) {
        return alertsFailed.computeIfAbsent(channel + "\n" + kind, key -> Counter.builder("phrase.monitor.alerts.failed")
                .description(ALERTS_FAILED_HELP).tag("channel", channel).tag("kind", kind).register(registry));
    }

    private static double epochSeconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    /**
     * The silences' meters: the open, unresolved incidents held back now, and the silences in force by source. Both
     * are counted at each scrape.
     */
    public void silences(Silences silences, Supplier<List<Incident>> openIncidents) {
        Gauge.builder("phrase.monitor.incidents.silenced", silences, s -> openIncidents.get().stream()
                        .filter(incident -> !incident.isResolved() && s.silencing(incident).isPresent()).count())
                .description(INCIDENTS_SILENCED_HELP)
                .register(registry);
        Gauge.builder("phrase.monitor.silences.active", silences, Silences::activeWindows)
                .description(SILENCES_ACTIVE_HELP)
                .tag("source", "window")
                .register(registry);
        Gauge.builder("phrase.monitor.silences.active", silences, Silences::activeAdHoc)
                .description(SILENCES_ACTIVE_HELP)
                .tag("source", "ad-hoc")
                .register(registry);
    }
}
