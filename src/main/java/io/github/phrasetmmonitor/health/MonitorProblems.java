package io.github.phrasetmmonitor.health;

import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.phrase.PhraseApiException;
import io.github.phrasetmmonitor.phrase.PhraseLoginRefusedException;
import io.github.phrasetmmonitor.state.MonitorProblem;
import io.github.phrasetmmonitor.state.ProblemState;
import io.github.phrasetmmonitor.text.SafeText;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's own problems, told like alerts: once when a problem starts and once when it ends, never once per
 * round. A problem is keyed by what failed:
 * <ul>
 *   <li>{@code credentials}: Phrase refuses the monitor's credentials (the login, or every call with 401/403), as
 *   {@link MonitorHealth#credentialsRefused()} judges it after each round</li>
 *   <li>{@code tm-not-found:<uid>}: a watched TM answered 404 on {@code GET /api2/v1/transMemories/{uid}}</li>
 *   <li>{@code tm-failing:<uid>}: a TM's check failed otherwise (5xx, timeout, unreadable answer) in
 *   {@code monitor.problem-threshold} rounds in a row</li>
 *   <li>{@code stale}: the dead-man switch, no successful round for {@code monitor.stale-after}; not opened while the
 *   credentials problem (which explains it) is open</li>
 * </ul>
 * A TM's problems end at its first answer; the others when their condition clears. What was told is kept in
 * {@link ProblemState} (a crash-safe journal), so a restart neither repeats a problem alert nor forgets a recovery.
 * Fed by the route policy of the TM checks, by {@link io.github.phrasetmmonitor.poll.PollingRounds} after each round,
 * and by the route {@code send-monitor-problems}, which asks for the due notices and sends them.
 */
public final class MonitorProblems {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.problem");
    public static final String CREDENTIALS = "credentials";
    public static final String STALE = "stale";
    static final String TM_NOT_FOUND = "tm-not-found:";
    static final String TM_FAILING = "tm-failing:";

    /** Failed checks of one TM in a row. */
    private record Streak(int rounds, Instant since, String lastError) {
    }

    private final ProblemState state;
    private final MonitorHealth health;
    private final Clock clock;
    private final int threshold;
    private final List<String> channels;
    private final Function<String, String> destinationOf;
    private final String account;
    private final Function<String, String> tmNameOf;

    private final Map<String, Streak> failing = new HashMap<>();
    private Instant refusedSince;
    private String lastRefusal;
    /** The last failed check since the last answer, for the dead-man switch's message. */
    private String lastFailure;

    /**
     * @param channels      the channels to tell (alert.channels)
     * @param destinationOf a channel's default destination: the Slack webhook's name, or the email recipients
     * @param account       the account in words, e.g. "login as user 'ops-bot'" (never a secret)
     * @param tmNameOf      a TM's name when Phrase told it before, otherwise null
     */
    public MonitorProblems(ProblemState state, MonitorHealth health, Clock clock, int threshold,
                           List<String> channels, Function<String, String> destinationOf, String account,
                           Function<String, String> tmNameOf) {
        this.state = state;
        this.health = health;
        this.clock = clock;
        this.threshold = threshold;
        this.channels = List.copyOf(channels);
        this.destinationOf = destinationOf;
        this.account = account;
        this.tmNameOf = tmNameOf;
    }

    // --- what the checks and rounds report ------------------------------------------------------------------

    /** Phrase answered this TM's calls: its problems, if any, are over. */
    public synchronized void tmAnswered(String tmUid) {
        if (tmUid == null) {
            return;
        }
        failing.remove(tmUid);
        refusedSince = null;
        lastFailure = null;
        recover(TM_NOT_FOUND + tmUid);
        recover(TM_FAILING + tmUid);
    }

    /** This TM's check failed this round. */
    public synchronized void tmFailed(String tmUid, Throwable cause) {
        Instant now = clock.instant();
        String error = describe(cause);
        lastFailure = (tmUid == null ? "" : "TM " + tmUid + ": ") + error;
        if (Causes.find(cause, PhraseLoginRefusedException.class).isPresent()) {
            // the account's problem, not the TM's: told once as "credentials" after the round
            if (refusedSince == null) {
                refusedSince = now;
            }
            lastRefusal = error;
            return;
        }
        if (tmUid == null) {
            return;
        }
        PhraseApiException api = Causes.find(cause, PhraseApiException.class).orElse(null);
        if (api != null && api.httpStatus() == 404) {
            open(TM_NOT_FOUND + tmUid, tm(tmUid),
                    "the translation memory does not exist or this user cannot see it (HTTP 404 on GET"
                            + " /api2/v1/transMemories/" + tmUid + ")", now, error);
            return;
        }
        Streak streak = failing.get(tmUid);
        streak = streak == null ? new Streak(1, now, error) : new Streak(streak.rounds() + 1, streak.since(), error);
        failing.put(tmUid, streak);
        Optional<MonitorProblem> open = state.get(TM_FAILING + tmUid);
        if (streak.rounds() >= threshold || open.filter(problem -> !problem.isRecovered()).isPresent()) {
            open(TM_FAILING + tmUid, tm(tmUid), "polling this translation memory failed in " + streak.rounds()
                    + " rounds in a row (monitor.problem-threshold " + threshold + ")", streak.since(), error);
        }
    }

    /** Listing the account's TMs failed (monitor.tm-uids empty): a refusal is the account's problem. */
    public synchronized void listFailed(Throwable cause) {
        tmFailed(null, cause);
    }

    /** After each round (PollingRounds): the account's credentials and the dead-man switch. */
    public synchronized void roundFinished() {
        if (health.credentialsRefused()) {
            open(CREDENTIALS, "the Phrase account, " + account,
                    "Phrase refuses the monitor's credentials: the login is refused, or every call is answered"
                            + " 401/403", refusedSince != null ? refusedSince : clock.instant(),
                    lastRefusal != null ? lastRefusal : "HTTP 401/403");
        } else {
            recover(CREDENTIALS);
        }
        checkStale();
    }

    /** The dead-man switch; also asked between rounds, since it must fire when rounds stop running. */
    public synchronized void checkStale() {
        Optional<Instant> staleSince = health.staleSince();
        boolean explained = state.get(CREDENTIALS).filter(problem -> !problem.isRecovered()).isPresent();
        if (staleSince.isPresent() && !explained) {
            String last = health.lastSuccessfulRound().map(at -> "last successful round ended " + at)
                    .orElse("no successful round since the monitor started");
            // the stale problem is told once; its last error is the last failed check, or that none failed
            String error = lastFailure != null ? lastFailure + " (" + last + ")"
                    : "no check failed: rounds did not run or found no TM to check (" + last + ")";
            open(STALE, "the monitor", "no successful polling round (one in which at least one TM got an answer)"
                    + " for " + health.staleRule(), staleSince.get(), error);
        } else if (staleSince.isEmpty()) {
            recover(STALE);
        }
    }

    // --- what is due, and what a channel took ---------------------------------------------------------------

    /** A problem alert on each channel not told yet; a recovery notice on each channel told about a problem. */
    public synchronized List<Notice> due() {
        checkStale();
        List<Notice> notices = new ArrayList<>();
        for (MonitorProblem problem : state.all()) {
            if (!problem.isRecovered()) {
                for (String channel : problem.channels()) {
                    if (channels.contains(channel) && !problem.announced().contains(channel)) {
                        notices.add(Notice.aboutProblem(Notice.Kind.PROBLEM, channel, destinationOf.apply(channel),
                                problem));
                    }
                }
            } else {
                int owed = 0;
                for (String channel : problem.announced()) {
                    if (channels.contains(channel) && !problem.recoveryAnnounced().contains(channel)) {
                        notices.add(Notice.aboutProblem(Notice.Kind.RECOVERED, channel,
                                destinationOf.apply(channel), problem));
                        owed++;
                    }
                }
                if (owed == 0) {
                    // told only on channels that are no longer in alert.channels: nobody is left to tell
                    state.close(problem.key());
                }
            }
        }
        return notices;
    }

    /** The channel took the notice: recorded before it counts as sent. */
    public synchronized void delivered(Notice notice) {
        Optional<MonitorProblem> current = state.get(notice.problem().key());
        if (current.isEmpty()) {
            return;
        }
        MonitorProblem problem = notice.kind() == Notice.Kind.PROBLEM
                ? current.get().withAnnounced(notice.channel())
                : current.get().withRecoveryAnnounced(notice.channel());
        if (problem.isSettled()) {
            state.close(problem.key());
        } else {
            state.save(problem);
        }
    }

    /** The problems open now, by key (for tests and logs). */
    public synchronized Set<String> open() {
        return state.all().stream().filter(problem -> !problem.isRecovered()).map(MonitorProblem::key)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    // --- opening and closing --------------------------------------------------------------------------------

    private void open(String key, String subject, String what, Instant since, String error) {
        // as the record keeps it, or the comparison below would find a long error changed at every check
        String lastError = SafeText.line(error, SafeText.LINE);
        Optional<MonitorProblem> known = state.get(key);
        if (known.isEmpty()) {
            // the log line shows what the record keeps: bounded, as it will be told
            MonitorProblem detected = MonitorProblem.detected(key, subject, what, since, lastError, channels);
            LOG.warn("Monitor problem {}: {}: {} (since {}; last error: {})", key, detected.subject(),
                    detected.what(), since, detected.lastError());
            state.save(detected);
            return;
        }
        MonitorProblem problem = known.get();
        // what failed stays as first told; the last error is kept current, written only when it changes
        if (problem.isRecovered() || !problem.lastError().equals(lastError)) {
            if (problem.isRecovered()) {
                LOG.warn("Monitor problem {} is back before its recovery was told: {}", key, lastError);
            }
            state.save(problem.update(problem.what(), lastError));
        }
    }

    private void recover(String key) {
        Optional<MonitorProblem> known = state.get(key);
        if (known.isEmpty() || known.get().isRecovered()) {
            return;
        }
        MonitorProblem problem = known.get();
        if (problem.announced().isEmpty()) {
            LOG.info("Monitor problem {} is over before any channel was told about it; nothing to send", key);
            state.close(key);
            return;
        }
        LOG.info("Monitor problem {} is over: {}", key, problem.subject());
        state.save(problem.recovered(clock.instant()));
    }

    private String tm(String uid) {
        String name = tmNameOf.apply(uid);
        return name == null || name.isBlank() ? "TM " + uid : "TM " + name + " (" + uid + ")";
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (cause instanceof PhraseApiException api) {
            message = api.getMessage();
            if (api.httpStatus() > 0 && !message.contains("HTTP " + api.httpStatus())) {
                message = "HTTP " + api.httpStatus() + ": " + message;
            }
        }
        return SafeText.line(message, SafeText.LINE);
    }
}
