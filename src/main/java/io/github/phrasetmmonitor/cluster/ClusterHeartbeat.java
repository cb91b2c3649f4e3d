package io.github.phrasetmmonitor.cluster;

import io.github.phrasetmmonitor.health.MonitorHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code cluster.checkin-interval}: renews this node's round lease and delivery claims, learns when the
 * cluster's last successful round ended (for readiness and the dead-man switch), and tells whether the database
 * answers. Losing the database is one warning line, and one line when it is back; meanwhile readiness is DOWN and no
 * round starts here.
 *
 * <p>{@code phrase_monitor_cluster_last_round{node="<this node>"}} is 1 when this node ran the cluster's last round,
 * else 0. It is read from the database when scraped, not from the last check-in: a round that ended on another node
 * since would otherwise leave two nodes saying 1 for up to a check-in. While the database cannot be reached, the
 * last value read stands.
 */
public final class ClusterHeartbeat extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.cluster");
    /** The documented words for the gauge (docs/health-and-metrics.md) (ClusterLogLinesTest compares them). */
    static final String LAST_ROUND_HELP = "only in cluster mode: 1 when this node ran the cluster's last round, else 0"
            + " (node is this node's cluster.node-name); read from the database at each scrape, so right as soon as a"
            + " round ends";

    private final CamelContext context;
    private final ClusterDatabase database;
    private final PostgresRoundLeases rounds;
    private final PostgresNoticeClaims claims;
    private final MonitorHealth health;
    private final Clock clock;
    private final String node;
    private volatile Optional<String> lastRoundNode = Optional.empty();
    private ScheduledExecutorService timer;

    private volatile Optional<String> unreachable = Optional.empty();
    private volatile Instant unreachableSince;

    public ClusterHeartbeat(CamelContext context, ClusterDatabase database, PostgresRoundLeases rounds,
                            PostgresNoticeClaims claims, MonitorHealth health, MeterRegistry meters, Clock clock) {
        this.context = context;
        this.database = database;
        this.rounds = rounds;
        this.claims = claims;
        this.health = health;
        this.clock = clock;
        this.node = database.settings().nodeName();
        Gauge.builder("phrase.monitor.cluster.last.round", this, ClusterHeartbeat::ranLastRound)
                .description(LAST_ROUND_HELP).tag("node", node).register(meters);
    }

    @Override
    protected void doStart() {
        long period = database.settings().checkinInterval().toMillis();
        timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "cluster-heartbeat");
        timer.scheduleWithFixedDelay(this::beat, 0, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            context.getExecutorServiceManager().shutdownNow(timer);
        }
    }

    void beat() {
        rounds.renew();
        try (Connection connection = database.connection()) {
            claims.renew(connection);
            PostgresRoundLeases.View view = rounds.view(connection);
            view.lastSuccess().ifPresent(health::clusterRoundSucceeded);
            lastRoundNode = view.lastRoundNode();
            reachable();
        } catch (Exception e) {
            unreachable(Sql.reason(e));
            return;
        }
        try {
            claims.closeResolvedUntold();
        } catch (RuntimeException e) {
            // the state says so where it is used; the next beat tries again
            LOG.debug("Could not close resolved incidents nobody was told of: {}", e.getMessage());
        }
    }

    /** At each scrape: 1 when this node ran the cluster's last round, as the database says now. */
    private double ranLastRound() {
        if (unreachable.isEmpty()) {
            try (Connection connection = database.connection()) {
                lastRoundNode = rounds.view(connection).lastRoundNode();
            } catch (Exception e) {
                // the next check-in says so (once); the last value read stands meanwhile
            }
        }
        return lastRoundNode.filter(node::equals).isPresent() ? 1 : 0;
    }

    private void reachable() {
        if (unreachable.isPresent()) {
            LOG.info("The cluster database answers again: rounds may run here again");
            unreachable = Optional.empty();
        }
    }

    private void unreachable(String reason) {
        if (unreachable.isEmpty()) {
            unreachableSince = clock.instant();
            LOG.warn("The cluster database {} cannot be reached ({}): readiness is DOWN and no round starts on this"
                    + " node until it answers", database.settings().jdbcUrl(), reason);
        }
        unreachable = Optional.of(reason);
    }

    /** Empty while the database answers; otherwise why not. */
    public Optional<String> unreachable() {
        return unreachable;
    }

    public Instant unreachableSince() {
        return unreachableSince;
    }
}
