package io.github.phrasetmmonitor.poll;

import io.github.phrasetmmonitor.phrase.CheckDeadline;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TMs of one round, handed to the split one at a time, and the first step of each TM's check.
 *
 * <p>When the monitor is shutting down the round ends after the TMs being checked (and its alert deliveries), so a
 * SIGTERM never cuts a check or a delivery in half and the process exits soon after. The split hands a few TMs to
 * its threads ahead of time; those that have not started when the monitor begins to stop are left for the next start.
 *
 * <p>A TM whose check from an earlier round is still running is skipped, so no TM is ever checked twice at once, and
 * every check gets a deadline ({@code phrase.check-timeout}) that its calls and retries keep to.
 *
 * <p>Once Phrase refuses the credentials, the round hands out no more TMs and the checks not yet started are skipped;
 * until Phrase has answered, the round's first check goes alone ({@link CredentialsGate}).
 */
public final class PollRound {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.poll");

    private final CheckClaims claims;
    private final CredentialsGate credentials;
    private final Duration checkTimeout;

    public PollRound(CheckClaims claims, CredentialsGate credentials, Duration checkTimeout) {
        this.claims = claims;
        this.credentials = credentials;
        this.checkTimeout = checkTimeout;
    }

    /**
     * The first step of a TM's check (its uid in the body): when the monitor has begun to stop, Phrase refused the
     * credentials earlier in the round, or the TM is still being checked since an earlier round, this check ends here,
     * before any call to Phrase, and counts neither as checked nor as failed.
     */
    public void startCheck(Exchange exchange) throws InterruptedException {
        Round round = PollingRounds.roundOf(exchange);
        CamelContext context = exchange.getContext();
        // asked again after the gate, where a check may have waited for another
        if (stopping(context) || !credentials.admit(exchange, round, checkTimeout) || stopping(context)) {
            skip(exchange, round);
            return;
        }
        String tmUid = exchange.getMessage().getBody(String.class);
        Optional<Duration> runningFor = claims.claim(tmUid, round, exchange);
        if (runningFor.isPresent()) {
            LOG.warn("TM {} skipped this round: its check from an earlier round is still running ({} s so far;"
                    + " phrase.check-timeout {} s)", tmUid, runningFor.get().toSeconds(), checkTimeout.toSeconds());
            skip(exchange, round);
            return;
        }
        // started only now: a check still waiting for the credentials' verdict is no slow check the next round may
        // start beside, or that round would take its TM over and find what this round was meant to
        if (round != null) {
            round.checkStarted();
        }
        CheckDeadline.after(checkTimeout).setOn(exchange);
    }

    private static boolean stopping(CamelContext context) {
        return context.isStopping() || context.isStopped();
    }

    private static void skip(Exchange exchange, Round round) {
        exchange.setRouteStop(true);
        if (round != null) {
            round.checkStarted();
            round.checkSkipped();
            round.checkFinished();
        }
    }

    public Iterator<String> untilShutdown(List<String> tmUids, Exchange exchange) {
        Round round = PollingRounds.roundOf(exchange);
        if (round != null) {
            round.expect(tmUids.size());
        }
        CamelContext context = exchange.getContext();
        Iterator<String> uids = tmUids.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return uids.hasNext() && !stopping(context) && CredentialsGate.goesOn(round)
                        && (round == null || round.lease().held());
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return uids.next();
            }
        };
    }
}
