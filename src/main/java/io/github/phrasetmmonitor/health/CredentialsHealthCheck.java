package io.github.phrasetmmonitor.health;

import io.github.phrasetmmonitor.settings.PhraseCredentials;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: DOWN while Phrase refuses the monitor's credentials, UP again at the first answer. */
public final class CredentialsHealthCheck extends AbstractHealthCheck {

    private final MonitorHealth health;
    private final PhraseCredentials credentials;

    public CredentialsHealthCheck(MonitorHealth health, PhraseCredentials credentials) {
        super("phrase-tm-monitor", "phrase-credentials");
        this.health = health;
        this.credentials = credentials;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (health.credentialsRefused()) {
            // describe() names the user and the keys, never a secret
            builder.message("Phrase refuses the credentials: " + credentials.describe()).down();
        } else {
            builder.up();
        }
    }
}
