package io.github.phrasetmmonitor.health;

import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.phrase.PhraseApiException;
import io.github.phrasetmmonitor.phrase.PhraseLoginRefusedException;
import io.github.phrasetmmonitor.state.Decision;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentKey;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.ProblemFacts;
import io.github.phrasetmmonitor.text.SafeText;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects the monitor's own problems and hands them to the incident pipeline ({@link IncidentState}), where they are
 * routed, told, reminded and recovered like failed tasks. A problem is keyed by what failed:
 * <ul>
 *   <li>{@code credentials}: Phrase refuses the monitor's credentials (the login, or every call with 401/403), as
 *   {@link MonitorHealth#credentialsRefused()} judges it after each round</li>
 *   <li>{@code phrase-unavailable}: no watched TM got an answer, every check failed otherwise (5xx, timeout,
 *   connection, unreadable answer), or the account's TM list could not be read, in {@code monitor.problem-threshold}
 *   rounds in a row: one problem for the account naming how many TMs failed and the most common error, never one
 *   per TM</li>
 *   <li>{@code tm-not-found:<uid>}: a watched TM answered 404 on {@code GET /api2/v1/transMemories/{uid}}</li>
 *   <li>{@code tm-failing:<uid>}: one TM's check failed in {@code monitor.problem-threshold} rounds in a row while
 *   other TMs got answers</li>
 *   <li>{@code stale}: the dead-man switch, no successful round for {@code monitor.stale-after}; silent while an open
 *   {@code credentials} or {@code phrase-unavailable} problem explains it, or while the rounds that run fail for
 *   want of any answer and keep running (the outage that {@code phrase-unavailable} tells once it passes the
 *   threshold); told when the rounds stop too</li>
 *   <li>{@code email-recipient-refused:<address>}: the SMTP server refused an email recipient for good (5xx), told by
 *   the email channel (alert.EmailRecipients), which leaves that address out from
 *   then on until the settings change or the monitor restarts: one problem per address, however many notices</li>
 *   <li>{@code email-refused}: the SMTP server refused the monitor itself, not an address (relaying denied, the EHLO
 *   name, the sender, authentication): one problem however many recipients and notices, naming what fixes it; no
 *   address is left out, and email is tried again each round</li>
 * </ul>
 * A TM's problems end at its first answer; a refused recipient's when the server takes a message for it (after a
 * restart, with the address or the server fixed); a refused monitor's when the server takes a message without refusing
 * it; the others when their condition clears. Fed by the route policy of the TM
 * checks, by poll.PollingRounds after each round, and by the route
 * {@code watch-monitor-problems}, which asks for the dead-man switch between rounds too. Rounds may overlap (a slow
 * check of an earlier round ending beside a newer one), so the tallies are what came in since the last round ended.
 */
public final class MonitorProblems {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.problem");
    public static final String CREDENTIALS = "credentials";
    public static final String PHRASE_UNAVAILABLE = "phrase-unavailable";
    public static final String STALE = "stale";
    static final String TM_NOT_FOUND = "tm-not-found:";
    static final String TM_FAILING = "tm-failing:";
    public static final String RECIPIENT_REFUSED = "email-recipient-refused:";
    public static final String EMAIL_REFUSED = "email-refused";

    /** Failed checks of one TM in a row. */
    public record Streak(int rounds, Instant since, String lastError, boolean failedThisRound) {
    }

    /**
     * What the problem checks carry from one round to the next: the streaks of failing TMs, an outage's rounds, the
     * refusal of the credentials. In a cluster the next round may run on another node, which takes this over first
     * ({@code cluster.PostgresRoundLeases}), so "3 rounds in a row" means the cluster's rounds.
     */
    public record Memory(Map<String, Streak> failing, Instant refusedSince, String lastRefusal, String lastFailure,
                         int outageRounds, Instant outageSince, Instant lastFailedCheck, boolean credentialsRefused) {
    }

    private final IncidentState state;
    private final MonitorHealth health;
    private final Clock clock;
    private final int threshold;
    private final String account;
    private final Function<String, String> tmNameOf;
    private final IntSupplier checksInFlight;

    private final Map<String, Streak> failing = new HashMap<>();
    private Instant refusedSince;
    private String lastRefusal;
    /** The last failed check since the last answer, for the dead-man switch's message. */
    private String lastFailure;
    /** Since the last round ended: TMs that answered (or said they do not exist), and the other failures by error. */
    private int answeredThisRound;
    /** The kind of error of each TM that failed since the last round ended (a TM counts once). */
    private final Map<String, String> errorsThisRound = new HashMap<>();
    private final Map<String, String> errorExamples = new HashMap<>();
    private String listErrorThisRound;
    /** Rounds in a row in which no TM got an answer, and since when. */
    private int outageRounds;
    private Instant outageSince;
    /** When a check last failed for want of an answer (not refused, not 404); cleared by an answer. */
    private Instant lastFailedCheck;

    /**
     * @param account  the account in words, e.g. "login as user 'ops-bot'" (never a secret)
     * @param tmNameOf a TM's name when Phrase told it before, otherwise null
     * @param checksInFlight how many TM checks are still running (a slow one of an earlier round may yet answer)
     */
    public MonitorProblems(IncidentState state, MonitorHealth health, Clock clock, int threshold, String account,
                           Function<String, String> tmNameOf, IntSupplier checksInFlight) {
        this.state = state;
        this.health = health;
        this.clock = clock;
        this.threshold = threshold;
        this.account = account;
        this.tmNameOf = tmNameOf;
        this.checksInFlight = checksInFlight;
    }

    // --- from round to round ---------------------------------------------------------------------------------

    /** What the next round needs to know, at the end of this one. */
    public synchronized Memory memory() {
        return new Memory(Map.copyOf(failing), refusedSince, lastRefusal, lastFailure, outageRounds, outageSince,
                lastFailedCheck, health.credentialsRefused());
    }

    /** A round this node lost to another (it was frozen): what its checks reported does not count. */
    public synchronized void forgetRound() {
        answeredThisRound = 0;
        errorsThisRound.clear();
        errorExamples.clear();
        listErrorThisRound = null;
    }

    /** The cluster's last round ran on another node: go on from where it ended. */
    public synchronized void adopt(Memory memory) {
        failing.clear();
        if (memory.failing() != null) {
            failing.putAll(memory.failing());
        }
        refusedSince = memory.refusedSince();
        lastRefusal = memory.lastRefusal();
        lastFailure = memory.lastFailure();
        outageRounds = memory.outageRounds();
        outageSince = memory.outageSince();
        lastFailedCheck = memory.lastFailedCheck();
        health.adoptCredentialsRefused(memory.credentialsRefused());
    }

    // --- what the checks and rounds report ------------------------------------------------------------------

    /** Phrase answered this TM's calls: its problems, if any, are over. */
    public synchronized void tmAnswered(String tmUid) {
        if (tmUid == null) {
            return;
        }
        answeredThisRound++;
        lastFailedCheck = null;
        failing.remove(tmUid);
        refusedSince = null;
        lastFailure = null;
        state.problemOver(TM_NOT_FOUND + tmUid);
        state.problemOver(TM_FAILING + tmUid);
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
            answeredThisRound++; // Phrase is there; it says this TM is not
            holds(new ProblemFacts(TM_NOT_FOUND + tmUid, tmUid, tmName(tmUid), tm(tmUid),
                    "the translation memory does not exist or this user cannot see it (HTTP 404 on GET"
                            + " /api2/v1/transMemories/" + tmUid + ")", now, error));
            return;
        }
        String kind = errorKind(cause, error);
        lastFailedCheck = now;
        errorsThisRound.put(tmUid, kind);
        errorExamples.put(kind, error);
        Streak streak = failing.get(tmUid);
        failing.put(tmUid, streak == null ? new Streak(1, now, error, true)
                : new Streak(streak.rounds() + 1, streak.since(), error, true));
    }

    /**
     * The SMTP server refused an email recipient for good (a 5xx reply to RCPT TO): told once, with its answer. Safe
     * to call from a delivery thread: only the incident state, which has its own lock, is touched.
     */
    public void recipientRefused(String address, String answer) {
        holds(new ProblemFacts(RECIPIENT_REFUSED + address, null, null, "email recipient " + address,
                "the SMTP server refuses to deliver to this address (a permanent 5xx reply): the other recipients"
                        + " get the alerts, this one is left out until the settings change or the monitor restarts",
                clock.instant(), answer));
    }

    /**
     * The SMTP server refused the monitor itself (relaying, the EHLO name, the sender, authentication), for every
     * recipient or some: one problem, whose last error follows the server's latest answer. Safe to call from a
     * delivery thread, as {@link #recipientRefused}.
     *
     * @param whatFixesIt what the server refuses and which setting or server change fixes it, in one line
     */
    public void emailRefused(String whatFixesIt, String answer) {
        holds(new ProblemFacts(EMAIL_REFUSED, null, null, "email delivery", whatFixesIt
                + ": no recipient is left out, email is tried again each round", clock.instant(), answer));
    }

    /** The SMTP server took a message without refusing the monitor: a refusal of it told before is over. */
    public void emailAccepted() {
        state.problemOver(EMAIL_REFUSED);
    }

    /** The SMTP server took a message for this address: a refusal told before is over. */
    public void recipientAccepted(String address) {
        state.problemOver(RECIPIENT_REFUSED + address);
    }

    /** Listing the account's TMs failed (monitor.tm-uids empty): no TM could be checked this round. */
    public synchronized void listFailed(Throwable cause) {
        if (Causes.find(cause, PhraseLoginRefusedException.class).isPresent()) {
            tmFailed(null, cause);
            return;
        }
        String error = describe(cause);
        lastFailure = "listing the account's TMs: " + error;
        lastFailedCheck = clock.instant();
        listErrorThisRound = error;
    }

    /**
     * After each round (PollingRounds): the account's credentials, an outage, failing TMs, the dead-man switch.
     *
     * @param checkedEveryTm false when the round skipped a TM (its check of an earlier round still ran): then a
     *                       round without answers is no proof of an outage, since that TM may yet answer
     */
    public synchronized void roundFinished(boolean checkedEveryTm) {
        Instant now = clock.instant();
        if (health.credentialsRefused()) {
            holds(new ProblemFacts(CREDENTIALS, null, null, "the Phrase account, " + account,
                    "Phrase refuses the monitor's credentials: the login is refused, or every call is answered"
                            + " 401/403", refusedSince != null ? refusedSince : now,
                    lastRefusal != null ? lastRefusal : "HTTP 401/403"));
        } else {
            state.problemOver(CREDENTIALS);
        }
        int failed = errorsThisRound.size();
        boolean noAnswer = answeredThisRound == 0 && (failed > 0 || listErrorThisRound != null)
                && !health.credentialsRefused();
        if (noAnswer && checkedEveryTm && checksInFlight.getAsInt() == 0) {
            outageRound(now, failed);
        } else if (noAnswer) {
            // a slow check of an earlier round may still answer: this round says nothing either way
            LOG.debug("No TM answered this round, but a TM was skipped or {} check(s) still run; not counted as an"
                    + " outage round", checksInFlight.getAsInt());
        } else if (answeredThisRound > 0) {
            outageRounds = 0;
            outageSince = null;
            state.problemOver(PHRASE_UNAVAILABLE);
            failingTms();
        }
        answeredThisRound = 0;
        errorsThisRound.clear();
        errorExamples.clear();
        listErrorThisRound = null;
        failing.replaceAll((uid, streak) -> new Streak(streak.rounds(), streak.since(), streak.lastError(), false));
        checkStale();
    }

    private void outageRound(Instant now, int failed) {
        outageRounds++;
        if (outageSince == null) {
            outageSince = now;
        }
        // the TMs' own streaks belong to the outage: a TM is "failing" only while others answer
        failing.clear();
        boolean open = state.find(IncidentKey.problem(PHRASE_UNAVAILABLE)).filter(p -> !p.isResolved()).isPresent();
        if (outageRounds < threshold && !open) {
            return;
        }
        String what;
        String error;
        if (listErrorThisRound != null && failed == 0) {
            what = "Phrase answers none of the monitor's calls: the account's TM list could not be read in "
                    + outageRounds + " rounds in a row";
            error = listErrorThisRound;
        } else {
            Map<String, Integer> byKind = new HashMap<>();
            errorsThisRound.values().forEach(kind -> byKind.merge(kind, 1, Integer::sum));
            Map.Entry<String, Integer> common = byKind.entrySet().stream()
                    .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(
                            Comparator.reverseOrder()))).orElseThrow();
            what = "Phrase answers none of the monitor's calls: all " + failed + " watched TM" + (failed == 1 ? "" : "s")
                    + " checked failed in " + outageRounds + " rounds in a row";
            error = errorExamples.get(common.getKey()) + " (" + common.getValue() + " of " + failed + " TMs)";
        }
        holds(new ProblemFacts(PHRASE_UNAVAILABLE, null, null, "Phrase, for " + account, what, outageSince, error));
    }

    /** After a round in which other TMs answered: each TM that failed again and reached the threshold. */
    private void failingTms() {
        failing.forEach((uid, streak) -> {
            boolean open = state.find(IncidentKey.problem(TM_FAILING + uid)).filter(p -> !p.isResolved()).isPresent();
            if (streak.failedThisRound() && (streak.rounds() >= threshold || open)) {
                holds(new ProblemFacts(TM_FAILING + uid, uid, tmName(uid), tm(uid),
                        "polling this translation memory failed in " + streak.rounds() + " rounds in a row while"
                                + " other TMs answered (monitor.problem-threshold " + threshold + ")",
                        streak.since(), streak.lastError()));
            }
        });
    }

    /** The dead-man switch; also asked between rounds, since it must fire when rounds stop running. */
    public synchronized void checkStale() {
        Optional<Instant> staleSince = health.staleSince();
        if (staleSince.isEmpty()) {
            state.problemOver(STALE);
            return;
        }
        Optional<String> explained = explanation();
        if (explained.isPresent()) {
            Optional<Incident> stale = state.find(IncidentKey.problem(STALE)).filter(p -> !p.isResolved());
            if (stale.isPresent() && stale.get().carriers().isEmpty()) {
                LOG.info("Monitor problem stale is withdrawn before it was told: {} explains it", explained.get());
                state.decided(stale.get().key(), Decision.held(clock.instant(), null, null, "alert",
                        Decision.Reason.WITHDRAWN, explained.get() + " explains it", null));
                state.problemOver(STALE);
            }
            return;
        }
        String last = health.lastSuccessfulRound().map(at -> "last successful round ended " + at)
                .orElse("no successful round since the monitor started");
        // the stale problem is told once; its last error is the last failed check, or that none failed
        String error = lastFailure != null ? lastFailure + " (" + last + ")"
                : "no check failed: rounds did not run or found no TM to check (" + last + ")";
        holds(new ProblemFacts(STALE, null, null, "the monitor", "no successful polling round (one in which at least"
                + " one TM got an answer) for " + health.staleRule(), staleSince.get(), error));
    }

    /** The problem that explains why no round succeeded, if one does. */
    private Optional<String> explanation() {
        for (String key : new String[] {CREDENTIALS, PHRASE_UNAVAILABLE}) {
            if (state.find(IncidentKey.problem(key)).filter(p -> !p.isResolved()).isPresent()) {
                return Optional.of("the open problem " + key);
            }
        }
        if (health.credentialsRefused()) {
            return Optional.of("refused credentials");
        }
        if (lastFailedCheck != null && !health.isOverdue(lastFailedCheck)) {
            return Optional.of("checks that get no answer from Phrase (" + PHRASE_UNAVAILABLE + " after "
                    + threshold + " rounds)");
        }
        return Optional.empty();
    }

    /** The problems open now, by key (for tests and logs). */
    public Set<String> open() {
        return state.openIncidents().stream().filter(Incident::isProblem).filter(p -> !p.isResolved())
                .map(p -> p.problem().key()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    // --- opening --------------------------------------------------------------------------------------------

    private void holds(ProblemFacts facts) {
        if (state.problemHolds(facts)) {
            // the log line shows what the record keeps: bounded, as it will be told
            LOG.warn("Monitor problem {}: {}: {} (since {}; last error: {})", facts.key(), facts.subject(),
                    facts.what(), facts.since(), facts.lastError());
        }
    }

    private String tmName(String uid) {
        String name = tmNameOf.apply(uid);
        return name == null || name.isBlank() ? null : name;
    }

    private String tm(String uid) {
        String name = tmName(uid);
        return name == null ? "TM " + uid : "TM " + name + " (" + uid + ")";
    }

    /** How the failures of an outage are counted together: the HTTP status, or the kind of failure. */
    private static String errorKind(Throwable cause, String described) {
        PhraseApiException api = Causes.find(cause, PhraseApiException.class).orElse(null);
        if (api != null && api.httpStatus() > 0) {
            return "HTTP " + api.httpStatus();
        }
        Throwable root = cause;
        for (Throwable each : Causes.of(cause)) {
            root = each;
        }
        return root == null ? described : root.getClass().getSimpleName();
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
