package io.github.phrasetmmonitor.config;

import java.util.List;
import java.util.Set;

/**
 * Every monitor setting with the value in force, for the start-up log. Secrets show only whether they are set, so
 * the summary can be pasted into a ticket.
 */
public final class SettingsSummary {

    /** The monitor's keys, in the order of application.properties. */
    public static final List<String> KEYS = List.of(
            "phrase.region", "phrase.base-url", "phrase.api-token", "phrase.username", "phrase.password",
            "phrase.platform-token", "phrase.idm-url", "phrase.connect-timeout", "phrase.read-timeout",
            "phrase.max-requests-per-minute", "phrase.max-concurrent-requests", "phrase.max-retries",
            "monitor.tm-uids", "monitor.tm-name-filter", "monitor.tm-exclude-uids", "monitor.cron",
            "monitor.failed-statuses", "monitor.state-dir", "monitor.stale-after", "monitor.problem-threshold",
            "monitor.problem-check-interval", "monitor.management-port",
            "alert.channels", "alert.send-resolved", "alert.repeat-interval", "alert.digest-threshold",
            "alert.fallback-channel", "alert.templates-dir",
            "alert.delivery.retries", "alert.delivery.retry-delay", "alert.slack.webhook-url",
            "alert.slack.webhook-url.legal",
            "alert.email.to", "alert.email.from", "alert.email.smtp-host", "alert.email.smtp-port",
            "alert.email.username", "alert.email.password", "alert.email.starttls", "alert.email.timeout",
            "tls.trust-store", "tls.trust-store-password", "tls.trust-store-type",
            "proxy.host", "proxy.port", "proxy.username", "proxy.password", "proxy.non-proxy-hosts");

    /** Keys whose values never reach a log, an exception message, health or metrics output, or a state file. */
    public static final Set<String> SECRETS = Set.of("phrase.api-token", "phrase.password", "phrase.platform-token",
            "alert.slack.webhook-url", "alert.slack.webhook-url.legal", "alert.email.password", "tls.trust-store-password", "proxy.password");

    private SettingsSummary() {
    }

    public static List<String> lines(SettingsSource source) {
        return KEYS.stream().map(key -> "    " + key + " = " + shown(key, source.value(key).orElse(""))).toList();
    }

    private static String shown(String key, String value) {
        if (value.isEmpty()) {
            return "(not set)";
        }
        return SECRETS.contains(key) ? "****** (set)" : value;
    }
}
