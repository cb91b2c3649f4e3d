package io.github.phrasetmmonitor.support;

import io.github.phrasetmmonitor.config.MonitorMain;
import io.github.phrasetmmonitor.poll.PollingRounds;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.RoutePolicyFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.camel.main.Main;

/**
 * The real monitor, started the way the jar starts it (application.properties and routes/ from the project
 * directory), with test endpoints given as override properties.
 */
public final class RunningMonitor implements AutoCloseable {

    private final Main main;

    private RunningMonitor(Main main) {
        this.main = main;
    }

    public static RunningMonitor start(Map<String, String> overrides) throws Exception {
        return start(overrides, (context, routeId, route) -> null);
    }

    /** As {@link #start(Map)}, with route policies of the test's (which only observe) added before the routes start. */
    public static RunningMonitor start(Map<String, String> overrides, RoutePolicyFactory observers) throws Exception {
        Main main = MonitorMain.create(Optional.empty(), overrides);
        main.configure().addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                context.addRoutePolicyFactory(observers);
            }
        });
        main.start();
        return new RunningMonitor(main);
    }

    /**
     * As {@link #start(Map)}, with {@code more} done to the monitor's Camel Main before it starts (what the jar's
     * entry point adds, such as the reloads of the configuration).
     */
    public static RunningMonitor start(Map<String, String> overrides, java.util.function.Consumer<Main> more)
            throws Exception {
        Main main = MonitorMain.create(Optional.empty(), overrides);
        more.accept(main);
        main.start();
        return new RunningMonitor(main);
    }

    /** Where /observe/health and /observe/metrics are served. */
    public String managementUrl() {
        return "http://127.0.0.1:" + context().getPropertiesComponent().resolveProperty("monitor.management-port")
                .orElseThrow() + "/observe";
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /**
     * Waits until {@code rounds} more polling rounds have finished; the split's per-TM exchanges and cron ticks that
     * were skipped because a round was running do not count.
     */
    public boolean awaitRounds(int rounds, int seconds) {
        PollingRounds polling = context().getRegistry().lookupByNameAndType("pollingRounds", PollingRounds.class);
        long target = polling.completed() + rounds;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(seconds)).until(() -> polling.completed() >= target);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        // camel.main.shutdown-timeout (30 s) for the routes, then the rest of Camel
        Deadline.within(Duration.ofSeconds(90), "stopping the monitor", main::stop);
    }

    /** Settings that point the monitor at the given stubs and poll every second. */
    public static Map<String, String> settings(String phraseBaseUrl, SlackRecorder slack, int smtpPort, Path stateDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("phrase.base-url", phraseBaseUrl);
        settings.put("phrase.username", "ops-bot");
        settings.put("phrase.password", "s3cret-Passw0rd");
        settings.put("monitor.cron", "0/1 * * * * ?");
        // with a 1 s cron the dead-man switch's default (3 cron periods) could fire while a loaded machine is still
        // starting the monitor; the tests about it set their own
        settings.put("monitor.stale-after", "30s");
        settings.put("monitor.state-dir", stateDir.toString());
        settings.put("alert.channels", "slack,email");
        settings.put("alert.delivery.retries", "1");
        settings.put("alert.delivery.retry-delay", "50ms");
        settings.put("alert.slack.webhook-url", slack.webhookUrl());
        settings.put("alert.email.to", "l10n-ops@example.com");
        settings.put("alert.email.from", "phrase-tm-monitor@example.com");
        settings.put("alert.email.smtp-host", "127.0.0.1");
        settings.put("alert.email.smtp-port", Integer.toString(smtpPort));
        settings.put("alert.email.starttls", "false");
        settings.put("monitor.management-port", Integer.toString(FreePort.pick()));
        return settings;
    }
}
