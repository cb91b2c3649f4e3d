package io.github.phrasetmmonitor.poll;

import io.github.phrasetmmonitor.alert.RoundUnderWay;
import io.github.phrasetmmonitor.health.MonitorHealth;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.metrics.MonitorMetrics;
import io.github.phrasetmmonitor.state.Fence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a cron tick may start a polling round, and what health, metrics and the monitor's problems hear when a round
 * starts and ends.
 *
 * <p>A tick that finds the previous round still handing out TMs is skipped with a log line rather than stacked behind
 * it: stacked rounds would only hammer Phrase harder when it is already slow. But once every TM of that round has
 * started its check, a few slow checks no longer hold the schedule: the next round starts on time beside them, and
 * skips just those TMs ({@link PollRound}). So one TM that answers slowly never delays the rounds of the others.
 *
 * <p>Skipped ticks are caught up once: when the round that held them ends, and no tick has started a round since, the
 * next round starts at once ({@link CatchUp}, one log line), however many ticks it missed. So a round that outlasts
 * its tick by a little (1,000 TMs at 100 calls a second take a little over 10 s) costs the polling rate that little,
 * not every other tick. In a cluster a tick skipped on another node counts too ({@link RoundLeases#tickMissed()}).
 *
 * <p>After Phrase refused the credentials, the rounds of the wait before the next attempt ({@link CredentialsGate})
 * call Phrase not at all: each ends at once with one log line, and counts as a round in which nothing was checked.
 */
public final class PollingRounds implements RoundUnderWay {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.poll");
    static final String ROUND = "phraseMonitorRound";

    private final Clock clock;
    private final MonitorHealth health;
    private final MonitorMetrics metrics;
    private final MonitorProblems problems;
    private final CredentialsGate credentials;
    private final RoundLeases leases;
    private final CatchUp catchUp;
    private final AtomicLong completed = new AtomicLong();
    /** The newest round; guarded by this. */
    private Round newest;
    /** A cron tick was skipped while the newest round handed out TMs, and no round started since; guarded by this. */
    private boolean tickMissed;
    /** Rounds begun and not yet ended: a round's slow checks may outlast the next round. */
    private final java.util.Set<Round> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** A reload of the configuration is being applied: no round starts; guarded by this. */
    private boolean held;

    public PollingRounds(Clock clock, MonitorHealth health, MonitorMetrics metrics, MonitorProblems problems,
                         CredentialsGate credentials, RoundLeases leases, CatchUp catchUp) {
        this.leases = leases;
        this.catchUp = catchUp;
        this.clock = clock;
        this.health = health;
        this.metrics = metrics;
        this.problems = problems;
        this.credentials = credentials;
    }

    /**
     * @return true when this tick may start a round; false (and one log line) while another is handing out TMs, or
     *         while the monitor waits to try credentials that Phrase refused
     */
    public boolean begin(Exchange exchange) {
        Instant now = clock.instant();
        boolean catchingUp = QuartzCatchUp.isCatchUp(exchange);
        Round previous;
        Round round;
        Optional<RoundLeases.Lease> lease;
        synchronized (this) {
            previous = newest;
            if (held) {
                tickMissed = true;
                LOG.info("Skipping this cron tick: a new configuration is being applied; the round starts once it is");
                return false;
            }
            if (previous != null && !previous.isOver() && !previous.allStarted()) {
                if (catchingUp) {
                    // a tick started this round after the catch-up was asked for: it is the catch-up
                    LOG.debug("No catch-up: the round started at {} runs", previous.started());
                } else {
                    tickMissed = true;
                    LOG.warn("Skipping this cron tick: the round started at {} is still running ({} s so far); the"
                            + " next round starts when it ends", previous.started(),
                            Duration.between(previous.started(), now).toSeconds());
                }
                return false;
            }
            // in a cluster, one round at a time across the nodes (one log line when another node runs one)
            lease = leases.take();
            if (lease.isEmpty()) {
                if (!catchingUp) {
                    leases.tickMissed();
                }
                return false;
            }
            round = credentials.roundMayTry() ? new Round(now, lease.get()) : null;
            if (round != null) {
                newest = round;
                running.add(round);
            }
            tickMissed = false;
        }
        if (catchingUp) {
            LOG.info("Catching up the cron tick(s) skipped while the last round ran: this round starts now");
        }
        // in a cluster, the last round may have run on another node: its problem checks go on from there
        lease.get().handedOver().ifPresent(problems::adopt);
        if (round == null) {
            // nothing was checked: health and the problems keep what the refused round told them
            health.roundFinished();
            problems.roundFinished(false);
            leases.finished(lease.get(), false, problems.memory());
            completed.incrementAndGet();
            return false;
        }
        if (previous != null && !previous.isOver()) {
            LOG.info("The round started at {} still waits for {} slow TM check(s); this round starts on time and"
                    + " skips those TMs", previous.started(), previous.unfinished());
        }
        exchange.setProperty(ROUND, round);
        // the round's checks record what they saw only while the round holds its lease (a cluster's fence)
        exchange.setProperty(Fence.PROPERTY, round.lease());
        return true;
    }

    public void end(Exchange exchange) {
        Round round = exchange.getProperty(ROUND, Round.class);
        if (round == null) {
            return;
        }
        round.over();
        running.remove(round);
        synchronized (this) {
            notifyAll();
        }
        if (!round.lease().admits()) {
            // another node took this round over while this one was frozen: it judges the rounds from now on
            LOG.warn("The round started at {} ended after another node took it over; this node does not judge it",
                    round.started());
            problems.forgetRound();
            health.forgetRound();
            leases.finished(round.lease(), false, problems.memory());
            completed.incrementAndGet();
            return;
        }
        boolean successful = health.roundFinished();
        problems.roundFinished(round.checkedEveryTm());
        boolean missedElsewhere = leases.finished(round.lease(), successful, problems.memory());
        metrics.roundFinished(Duration.between(round.started(), clock.instant()));
        completed.incrementAndGet();
        if (owesCatchUp(round, missedElsewhere)) {
            catchUp.fire();
        }
    }

    /**
     * Runs {@code change} between rounds: no round starts meanwhile, and the rounds under way (their slow checks
     * too) end first, under the rules they began with, at most {@code wait} (a round's checks end by
     * phrase.check-timeout). A tick skipped meanwhile is caught up once the change is made.
     *
     * @throws java.util.concurrent.TimeoutException when a round still runs after {@code wait}; nothing was changed
     */
    public <T> T betweenRounds(java.util.concurrent.Callable<T> change, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            held = true;
            try {
                while (!running.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new java.util.concurrent.TimeoutException("a polling round still runs after "
                                + wait.toSeconds() + " s");
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (Exception e) {
                held = false;
                throw e;
            }
        }
        boolean owed;
        try {
            return change.call();
        } finally {
            synchronized (this) {
                held = false;
                owed = tickMissed;
                tickMissed = false;
            }
            if (owed) {
                catchUp.fire();
            }
        }
    }

    /**
     * A tick was skipped while this round ran, and no round started since. Not after a round that Phrase refused the
     * credentials in: the next attempt waits for later rounds (CredentialsGate), and a catch-up would count as one of
     * them, shortening the wait that keeps a wrong password from becoming a storm of refused requests.
     */
    private synchronized boolean owesCatchUp(Round ended, boolean missedElsewhere) {
        if (held) {
            // a change between rounds waits for this one: the change catches the tick up once it is made
            tickMissed = tickMissed || missedElsewhere && !ended.credentialsRefused();
            return false;
        }
        boolean owed = (tickMissed || missedElsewhere) && newest == ended && !ended.credentialsRefused();
        tickMissed = false;
        return owed;
    }

    @Override
    public void found(Exchange check, String tmUid) {
        Round round = roundOf(check);
        if (round != null) {
            round.found(tmUid);
        }
    }

    /**
     * Whether a round of this instance still running (a round whose slow checks outlast the next one runs until they
     * end) found an incident of the TM, recorded at the instant; otherwise, in a cluster, whether another node runs a
     * round that had begun by then.
     */
    @Override
    public BiPredicate<String, Instant> held() {
        List<Round> rounds = List.copyOf(running);
        if (rounds.isEmpty()) {
            // asked of the database once per delivery pass, not once per incident
            Optional<Instant> since = leases.runningSince();
            return (tmUid, at) -> since.isPresent() && !at.isBefore(since.get());
        }
        return (tmUid, at) -> rounds.stream().anyMatch(round -> round.hasFound(tmUid) && !at.isBefore(round.started()));
    }

    /**
     * Rounds that ran to their end since start-up, and rounds that waited after refused credentials; ticks skipped
     * because a round was still running do not count.
     */
    public long completed() {
        return completed.get();
    }

    static Round roundOf(Exchange exchange) {
        return exchange.getProperty(ROUND, Round.class);
    }
}
