package io.github.phrasetmmonitor.poll;

import io.github.phrasetmmonitor.net.HttpGuard;
import io.github.phrasetmmonitor.phrase.RoundStoppedException;
import io.github.phrasetmmonitor.phrase.SignInGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps credentials that Phrase refuses (a wrong password, a revoked API or Platform token) from turning into a storm
 * of refused requests, one per TM per round, which can lock the account or trip the identity provider's alarms.
 * <ul>
 * <li>Phrase refuses the credentials when it answers 401/403 to the login or the Platform token exchange, or to a call
 * that a new sign-in cannot help: made with an API token, or with a session signed in this very round. The round
 * then hands out no more TMs, and the checks under way make no more calls ({@link RoundStoppedException}); one line
 * says so. That round's refused check is reported as usual, so health and the monitor's problems learn of it.</li>
 * <li>The next attempt waits for a later round: the next one after the first refusal, then 2, 4, 8, ... rounds after
 * each refusal in a row, but never longer than {@code phrase.refused-login-backoff-max}. The rounds in between call
 * Phrase not at all ({@link PollingRounds}). An answer from Phrase ends the backoff.</li>
 * <li>While Phrase has not answered since start-up or since a refusal, a round's first check finds out alone whether
 * Phrase takes the credentials; the others wait for its first answer ({@link PollRound}). So a round makes at most one
 * sign-in, and at most one call that can be refused, whatever the number of TMs.</li>
 * </ul>
 * A sign-in that fails for another reason (Phrase down, a timeout) is no refusal: the round goes on as usual.
 */
public final class CredentialsGate extends CheckEndPolicy implements SignInGate {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.poll");
    private static final String PROBE = "phraseMonitorCredentialsProbe";
    /** 2^20 rounds is far past any cap; the shift must not overflow. */
    private static final int MAX_DOUBLINGS = 20;

    private final Clock clock;
    private final Duration maxWait;
    private final String account;

    // guarded by this
    /** Phrase answered a call since start-up or the last refusal. */
    private boolean accepted;
    /** Refused attempts in a row; 0 when Phrase last answered. */
    private int refusals;
    private Instant lastRefusal;
    /** Rounds begun since the last refusal. */
    private int roundsSinceRefusal;

    /**
     * @param maxWait the longest wait between two attempts ({@code phrase.refused-login-backoff-max})
     * @param account the credentials in words, never a secret ({@code PhraseCredentials.describe()})
     */
    public CredentialsGate(String checkRouteId, Clock clock, Duration maxWait, String account) {
        super(checkRouteId);
        this.clock = clock;
        this.maxWait = maxWait;
        this.account = account;
    }

    // --- rounds and checks (PollingRounds, PollRound) --------------------------------------------------------

    /** @return false, with one log line, when this round falls in the wait after a refusal and calls no one */
    synchronized boolean roundMayTry() {
        if (refusals == 0) {
            return true;
        }
        roundsSinceRefusal++;
        int waitRounds = waitRounds();
        Instant latest = lastRefusal.plus(maxWait);
        if (roundsSinceRefusal >= waitRounds || !clock.instant().isBefore(latest)) {
            return true;
        }
        int left = waitRounds - roundsSinceRefusal;
        LOG.info("Round skipped: Phrase refused the credentials ({}) {} time(s) in a row; the next attempt is in {}"
                + " round(s), by {} at the latest", account, refusals, left, latest);
        return false;
    }

    /**
     * The first step of a TM's check. Returns at once while Phrase takes the credentials; otherwise the round's first
     * check goes ahead alone and the others wait for Phrase's first answer, up to {@code maxWait}.
     *
     * @return false when the check is skipped: Phrase refused the credentials in this round, or the check whose result
     *         it waited for took longer than {@code maxWait}
     */
    boolean admit(Exchange exchange, Round round, Duration maxWait) throws InterruptedException {
        if (round == null) {
            return true;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (this) {
            while (true) {
                if (round.credentialsRefused()) {
                    return false;
                }
                if (accepted || round.isOpen()) {
                    return true;
                }
                if (!round.probing()) {
                    round.probing(true);
                    exchange.setProperty(PROBE, Boolean.TRUE);
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.debug("TM {} skipped this round: still waiting to learn whether Phrase takes the credentials",
                            exchange.getMessage().getBody());
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** Whether the split may hand out another TM. */
    static boolean goesOn(Round round) {
        return round == null || !round.credentialsRefused();
    }

    // --- what Phrase answered (PhraseSession, PhraseCallPolicy) ----------------------------------------------

    /** Before every call: a round in which Phrase refused the credentials makes no more calls. */
    @Override
    public void beforeCall(Exchange exchange) {
        Round round = PollingRounds.roundOf(exchange);
        if (round != null && round.credentialsRefused()) {
            throw new RoundStoppedException("Phrase refused the credentials earlier in this round");
        }
    }

    /** A sign-in (login or Platform token exchange) succeeded for this round. */
    @Override
    public void signedIn(Exchange exchange) {
        Round round = PollingRounds.roundOf(exchange);
        if (round != null) {
            round.signedIn();
        }
    }

    /** Whether this round signed in: a call refused with that session is refused with fresh credentials. */
    @Override
    public boolean signedInThisRound(Exchange exchange) {
        Round round = PollingRounds.roundOf(exchange);
        return round != null && round.hasSignedIn();
    }

    /** Phrase answered a call (2xx, or 404 for a missing TM): it takes the credentials. Ends any backoff. */
    @Override
    public synchronized void accepted(Exchange exchange) {
        if (refusals > 0) {
            LOG.info("Phrase accepts the credentials ({}) again", account);
        }
        accepted = true;
        refusals = 0;
        lastRefusal = null;
        roundsSinceRefusal = 0;
        open(exchange);
    }

    /** Phrase answered otherwise (5xx, 429) or not at all: nothing learnt about the credentials; no need to wait. */
    @Override
    public synchronized void noVerdict(Exchange exchange) {
        open(exchange);
    }

    /** Phrase refused the credentials: the rest of this round is skipped, and the next attempt waits. */
    @Override
    public synchronized void refused(Exchange exchange) {
        accepted = false;
        Round round = PollingRounds.roundOf(exchange);
        if (round != null && !round.refuseCredentials()) {
            return;
        }
        refusals++;
        lastRefusal = clock.instant();
        roundsSinceRefusal = 0;
        int waitRounds = waitRounds();
        LOG.warn("Phrase refused the credentials ({}): the rest of this round is skipped, and the next attempt is {},"
                        + " waiting twice as long after each refusal in a row, at most {} (phrase.refused-login-backoff-max)",
                account, waitRounds == 1 ? "in the next round" : "in " + waitRounds + " rounds", shown(maxWait));
        notifyAll();
    }

    private void open(Exchange exchange) {
        Round round = PollingRounds.roundOf(exchange);
        if (round != null && !round.isOpen()) {
            round.open();
            notifyAll();
        }
    }

    private static String shown(Duration duration) {
        return duration.toMillis() % 60_000 == 0 ? duration.toMinutes() + " min" : HttpGuard.describe(duration);
    }

    /** Rounds from one attempt to the next: 1 after the first refusal, then doubling. */
    private int waitRounds() {
        return 1 << Math.min(Math.max(refusals - 1, 0), MAX_DOUBLINGS);
    }

    // --- the probe's end --------------------------------------------------------------------------------------

    /** When the probing check ends without a refusal, however it ended, the round's other checks go on. */
    @Override
    void checkEnded(Exchange exchange) {
        if (exchange.removeProperty(PROBE) != null) {
            noVerdict(exchange);
        }
    }
}
