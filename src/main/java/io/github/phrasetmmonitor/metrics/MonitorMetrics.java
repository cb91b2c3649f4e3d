package io.github.phrasetmmonitor.metrics;

import io.github.phrasetmmonitor.health.MonitorHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * The monitor's own meters, next to Camel's on {@code /observe/metrics}. Prometheus names:
 * <ul>
 *   <li>{@code phrase_monitor_polls_total{outcome}}: TM checks by outcome (FAILED, OK, ..., ERROR)</li>
 *   <li>{@code phrase_monitor_poll_errors_total{kind}}: failed TM checks by kind (see PollErrorKind)</li>
 *   <li>{@code phrase_monitor_alerts_sent_total{channel,kind}}, {@code phrase_monitor_alerts_failed_total{channel,kind}}</li>
 *   <li>{@code phrase_monitor_round_duration_seconds}: how long a polling round took</li>
 *   <li>{@code phrase_monitor_tms_watched}: the TMs the last round checked</li>
 *   <li>{@code phrase_monitor_last_successful_round_timestamp_seconds}: 0 until the first successful round</li>
 * </ul>
 */
public final class MonitorMetrics {

    private final MeterRegistry registry;
    private final Timer roundDuration;
    private final Map<String, Counter> pollsByOutcome = new ConcurrentHashMap<>();
    private final Map<String, Counter> pollErrorsByKind = new ConcurrentHashMap<>();

    public MonitorMetrics(MeterRegistry registry, MonitorHealth health, IntSupplier tmsWatched) {
        this.registry = registry;
        this.roundDuration = Timer.builder("phrase.monitor.round.duration")
                .description("How long a polling round took, all watched TMs")
                .register(registry);
        Gauge.builder("phrase.monitor.tms.watched", tmsWatched::getAsInt)
                .description("Translation memories the last round checked (monitor.tm-uids, or the account's list)")
                .register(registry);
        Gauge.builder("phrase.monitor.last.successful.round.timestamp", health,
                        h -> h.lastSuccessfulRound().map(MonitorMetrics::epochSeconds).orElse(0.0))
                .description("When the last successful polling round ended (Unix time); 0 before the first")
                .baseUnit("seconds")
                .register(registry);
    }

    public void poll(String outcome) {
        // called for every TM check: look the counter up once per outcome, not a builder and an id per call
        pollsByOutcome.computeIfAbsent(outcome, key -> Counter.builder("phrase.monitor.polls")
                .description("TM checks by outcome").tag("outcome", key).register(registry)).increment();
    }

    public void pollError(String kind) {
        pollErrorsByKind.computeIfAbsent(kind, key -> Counter.builder("phrase.monitor.poll.errors")
                .description("Failed TM checks by kind").tag("kind", key).register(registry)).increment();
    }

    public void alertSent(String channel, String kind) {
        Counter.builder("phrase.monitor.alerts.sent").description("Alerts a channel took")
                .tag("channel", channel).tag("kind", kind).register(registry).increment();
    }

    public void alertFailed(String channel, String kind) {
        Counter.builder("phrase.monitor.alerts.failed")
                .description("Alert deliveries that failed after their retries (sent again on a later round)")
                .tag("channel", channel).tag("kind", kind).register(registry).increment();
    }

    public void roundFinished(Duration took) {
        roundDuration.record(took);
    }

    private static double epochSeconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
