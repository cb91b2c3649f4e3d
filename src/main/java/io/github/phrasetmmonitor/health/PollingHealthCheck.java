package io.github.phrasetmmonitor.health;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness, the dead-man switch: DOWN when no round has succeeded for too long (see DeadManSwitch). */
public final class PollingHealthCheck extends AbstractHealthCheck {

    private final MonitorHealth health;

    public PollingHealthCheck(MonitorHealth health) {
        super("phrase-tm-monitor", "polling");
        this.health = health;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        health.lastSuccessfulRound().ifPresent(last -> builder.detail("last.successful.round", last.toString()));
        health.staleSince().ifPresentOrElse(
                since -> builder.message("no successful polling round since " + since + ", longer than "
                        + health.staleRule()).down(),
                builder::up);
    }
}
