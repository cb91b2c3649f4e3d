package io.github.phrasetmmonitor.support;

import io.github.phrasetmmonitor.MonitorApplication;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.camel.main.Main;

/**
 * The real monitor, started the way the jar starts it (application.properties and routes/ from the project
 * directory), with test endpoints given as override properties.
 */
public final class RunningMonitor implements AutoCloseable {

    private final Main main;

    private final AtomicLong completedRounds = new AtomicLong();

    private RunningMonitor(Main main) {
        this.main = main;
    }

    public static RunningMonitor start(Map<String, String> overrides) throws Exception {
        Main main = MonitorApplication.create(Optional.empty(), overrides);
        RunningMonitor monitor = new RunningMonitor(main);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                configured.getCamelContext().getManagementStrategy().addEventNotifier(monitor.new RoundCounter());
            }
        });
        main.start();
        return monitor;
    }

    /** Where /observe/health and /observe/metrics are served. */
    public String managementUrl() {
        return "http://127.0.0.1:" + context().getPropertiesComponent().resolveProperty("monitor.management-port")
                .orElseThrow() + "/observe";
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Waits until {@code rounds} more polling rounds have finished (the split's per-TM exchanges do not count). */
    public boolean awaitRounds(int rounds, int seconds) {
        long target = completedRounds.get() + rounds;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(seconds)).until(() -> completedRounds.get() >= target);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }

    private final class RoundCounter extends EventNotifierSupport {
        RoundCounter() {
            setIgnoreExchangeCreatedEvent(true);
            setIgnoreExchangeSendingEvents(true);
            setIgnoreExchangeSentEvents(true);
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent) {
                Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
                if ("poll-translation-memories".equals(exchange.getFromRouteId())
                        && exchange.getProperty(Exchange.SPLIT_INDEX) == null) {
                    completedRounds.incrementAndGet();
                }
            }
        }
    }

    /** Settings that point the monitor at the given stubs and poll every second. */
    public static Map<String, String> settings(String phraseBaseUrl, SlackRecorder slack, int smtpPort, Path stateDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("phrase.base-url", phraseBaseUrl);
        settings.put("phrase.username", "ops-bot");
        settings.put("phrase.password", "s3cret-Passw0rd");
        settings.put("monitor.cron", "0/1 * * * * ?");
        settings.put("monitor.state-dir", stateDir.toString());
        settings.put("alert.channels", "slack,email");
        settings.put("alert.delivery.retries", "1");
        settings.put("alert.delivery.retry-delay", "50");
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
