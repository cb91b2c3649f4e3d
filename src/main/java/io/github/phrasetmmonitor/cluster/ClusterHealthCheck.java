package io.github.phrasetmmonitor.cluster;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness in a cluster: DOWN while the shared database cannot be reached, since no round runs here meanwhile. */
public final class ClusterHealthCheck extends AbstractHealthCheck {

    private final ClusterHeartbeat heartbeat;
    private final String node;

    public ClusterHealthCheck(ClusterHeartbeat heartbeat, String node) {
        super("phrase-tm-monitor", "cluster");
        this.heartbeat = heartbeat;
        this.node = node;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("node", node);
        heartbeat.unreachable().ifPresentOrElse(
                reason -> builder.message("the cluster database cannot be reached since " + heartbeat.unreachableSince()
                        + ": " + reason).down(),
                builder::up);
    }
}
