package io.github.phrasetmmonitor.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.camel.Exchange;

/**
 * Which TMs are being checked right now. A check claims its TM as it starts ({@link PollRound#startCheck}); the claim
 * is released when the check's exchange leaves the route, however it ends (answered, failed, stopped).
 */
public final class CheckClaims extends CheckEndPolicy {

    private static final String CLAIM = "phraseMonitorCheckClaim";

    private record Claim(String tmUid, Round round) {
    }

    private final Clock clock;
    private final ConcurrentMap<String, Instant> inFlight = new ConcurrentHashMap<>();

    public CheckClaims(String checkRouteId, Clock clock) {
        super(checkRouteId);
        this.clock = clock;
    }

    /** @return empty when claimed for this exchange; otherwise how long the TM's running check has taken so far */
    Optional<Duration> claim(String tmUid, Round round, Exchange exchange) {
        Instant now = clock.instant();
        Instant since = inFlight.putIfAbsent(tmUid, now);
        if (since != null) {
            return Optional.of(Duration.between(since, now));
        }
        exchange.setProperty(CLAIM, new Claim(tmUid, round));
        return Optional.empty();
    }

    /** TMs being checked now. */
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    void checkEnded(Exchange exchange) {
        Claim claim = exchange.getProperty(CLAIM, Claim.class);
        if (claim == null) {
            return;
        }
        exchange.removeProperty(CLAIM);
        inFlight.remove(claim.tmUid());
        if (claim.round() != null) {
            claim.round().checkFinished();
        }
    }
}
