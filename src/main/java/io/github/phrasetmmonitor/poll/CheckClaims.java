package io.github.phrasetmmonitor.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Which TMs are being checked right now. A check claims its TM as it starts ({@link PollRound#startCheck}); the claim
 * is released when the check's exchange leaves the route, however it ends (answered, failed, stopped), which a
 * route policy sees for certain where a step at the end of the route could be skipped by an error.
 */
public final class CheckClaims implements RoutePolicyFactory {

    private static final String CLAIM = "phraseMonitorCheckClaim";

    private record Claim(String tmUid, Round round) {
    }

    private final String checkRouteId;
    private final Clock clock;
    private final ConcurrentMap<String, Instant> inFlight = new ConcurrentHashMap<>();

    public CheckClaims(String checkRouteId, Clock clock) {
        this.checkRouteId = checkRouteId;
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
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (!checkRouteId.equals(routeId)) {
            return null;
        }
        return new RoutePolicySupport() {
            @Override
            public void onExchangeDone(Route done, Exchange exchange) {
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
        };
    }
}
