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
 * <p>Rounds never overlap (PollingRounds lets one run at a time); a round checks its TMs concurrently, so the
 * per-round tallies are kept under this object's lock.
 */
public final class MonitorHealth {

    private final Clock clock;
    private final DeadManSwitch deadManSwitch;
    private final Instant started;

    private Instant lastSuccessfulRound;
    private boolean credentialsRefused;
    private int answered;
    private int refused;

    public MonitorHealth(Clock clock, DeadManSwitch deadManSwitch) {
        this.clock = clock;
        this.deadManSwitch = deadManSwitch;
        this.started = clock.instant();
    }

    public synchronized void roundStarted() {
        answered = 0;
        refused = 0;
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

    /** @return true when the round counts as successful */
    public synchronized boolean roundFinished() {
        if (answered > 0) {
            lastSuccessfulRound = clock.instant();
            credentialsRefused = false;
            return true;
        }
        if (refused > 0) {
            credentialsRefused = true;
        }
        return false;
    }

    public synchronized Optional<Instant> lastSuccessfulRound() {
        return Optional.ofNullable(lastSuccessfulRound);
    }

    public synchronized boolean credentialsRefused() {
        return credentialsRefused;
    }

    /** Empty while fresh; otherwise since when the monitor has had no successful round (its start, if none yet). */
    public synchronized Optional<Instant> staleSince() {
        Instant since = lastSuccessfulRound != null ? lastSuccessfulRound : started;
        return clock.instant().isAfter(deadManSwitch.deadline(since)) ? Optional.of(since) : Optional.empty();
    }

    public String staleRule() {
        return deadManSwitch.describe();
    }
}
