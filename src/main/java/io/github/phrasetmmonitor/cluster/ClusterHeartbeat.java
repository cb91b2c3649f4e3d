package io.github.phrasetmmonitor.cluster;

import io.github.phrasetmmonitor.health.MonitorHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code cluster.checkin-interval}: renews this node's round lease and delivery claims, learns when the
 * cluster's last successful round ended and which node ran the last round (for readiness, the dead-man switch and
 * the metrics), and tells whether the database answers. Losing the database is one warning line, and one line when
 * it is back; meanwhile readiness is DOWN and no round starts here.
 */
public final class ClusterHeartbeat extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.cluster");

    private final CamelContext context;
    private final ClusterDatabase database;
    private final PostgresRoundLeases rounds;
    private final PostgresNoticeClaims claims;
    private final MonitorHealth health;
    private final Clock clock;
    private final MultiGauge lastRoundNode;
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
        this.lastRoundNode = MultiGauge.builder("phrase.monitor.cluster.last.round")
                .description("1 for the node that ran the cluster's last round").register(meters);
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
            view.lastRoundNode().ifPresent(node -> lastRoundNode.register(
                    List.of(MultiGauge.Row.of(Tags.of("node", node), 1)), true));
            reachable();
        } catch (Exception e) {
            unreachable(Sql.reason(e));
        }
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
