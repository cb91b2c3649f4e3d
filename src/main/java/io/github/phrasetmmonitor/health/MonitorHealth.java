package io.github.phrasetmmonitor.health;

import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.phrase.PhraseLoginRefusedException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What readiness is judged on, updated as rounds run: when the last successful round ended, and whether Phrase is
 * refusing the monitor's credentials. A round succeeds when Phrase answered the checks of at least one TM; the
 * credentials count as refused when no TM got an answer and at least one check was refused (a failed login, or
 * 401/403 even after a fresh login), and as accepted again at the first answer.
 *
 * <p>A round checks its TMs concurrently, so the tallies are kept under this object's lock.
 */
public final class MonitorHealth {

    private final Clock clock;
    private final DeadManSwitch deadManSwitch;
    /** When polling could start: the dead-man switch counts from here until the first successful round. */
    private Instant started;

    private Instant lastSuccessfulRound;
    private boolean credentialsRefused;
    private int answered;
    private int refused;

    public MonitorHealth(Clock clock, DeadManSwitch deadManSwitch) {
        this.clock = clock;
        this.deadManSwitch = deadManSwitch;
        this.started = clock.instant();
    }

    /** Phrase answered this TM's calls and its task was classified. */
    public synchronized void tmAnswered() {
        answered++;
    }

    public synchronized void tmFailed(Throwable cause) {
        if (Causes.find(cause, PhraseLoginRefusedException.class).isPresent()) {
            refused++;
        }
    }

    /**
     * Judges the checks reported since the previous round ended. Rounds may overlap (a slow check of an earlier round
     * finishing beside a newer one), so the tallies are not tied to one round: each end takes what came in since.
     *
     * @return true when the round counts as successful
     */
    public synchronized boolean roundFinished() {
        int answeredSince = answered;
        int refusedSince = refused;
        answered = 0;
        refused = 0;
        if (answeredSince > 0) {
            lastSuccessfulRound = clock.instant();
            credentialsRefused = false;
            return true;
        }
        if (refusedSince > 0) {
            credentialsRefused = true;
        }
        return false;
    }

    /**
     * In a cluster: another node's round succeeded at {@code end}. Readiness and the dead-man switch judge the
     * cluster's rounds, so a standby node is ready while the cluster polls.
     */
    public synchronized void clusterRoundSucceeded(Instant end) {
        if (lastSuccessfulRound == null || end.isAfter(lastSuccessfulRound)) {
            lastSuccessfulRound = end;
        }
    }

    public synchronized Optional<Instant> lastSuccessfulRound() {
        return Optional.ofNullable(lastSuccessfulRound);
    }

    /** A round this node lost to another (it was frozen): its tallies do not count. */
    public synchronized void forgetRound() {
        answered = 0;
        refused = 0;
    }

    /** In a cluster: the last round, on another node, found the credentials refused (or accepted). */
    public synchronized void adoptCredentialsRefused(boolean refused) {
        credentialsRefused = refused;
    }

    public synchronized boolean credentialsRefused() {
        return credentialsRefused;
    }

    /** Empty while fresh; otherwise since when the monitor has had no successful round (its start, if none yet). */
    public synchronized Optional<Instant> staleSince() {
        Instant since = lastSuccessfulRound != null ? lastSuccessfulRound : started;
        return clock.instant().isAfter(deadManSwitch.deadline(since)) ? Optional.of(since) : Optional.empty();
    }

    /** Whether the dead-man switch's time has run out since {@code since}: the rounds due after it did not come. */
    public boolean isOverdue(Instant since) {
        return clock.instant().isAfter(deadManSwitch.deadline(since));
    }

    /**
     * The routes have started: the dead-man switch counts from now, not from when the monitor was configured, so a
     * slow start-up (a loaded machine, a large account) is not taken for rounds that did not come.
     */
    public synchronized void pollingStarted() {
        started = clock.instant();
    }

    public String staleRule() {
        return deadManSwitch.describe();
    }
}
