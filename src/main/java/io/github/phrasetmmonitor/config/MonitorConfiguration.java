package io.github.phrasetmmonitor.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.alert.EmailAlertComposer;
import io.github.phrasetmmonitor.alert.SlackAlertComposer;
import io.github.phrasetmmonitor.alert.SlackWebhook;
import io.github.phrasetmmonitor.classify.TaskClassifier;
import io.github.phrasetmmonitor.health.CredentialsHealthCheck;
import io.github.phrasetmmonitor.health.DeadManSwitch;
import io.github.phrasetmmonitor.health.MonitorHealth;
import io.github.phrasetmmonitor.health.PollingHealthCheck;
import io.github.phrasetmmonitor.logging.OneLine;
import io.github.phrasetmmonitor.metrics.MonitorMetrics;
import io.github.phrasetmmonitor.metrics.MonitorRoutePolicies;
import io.github.phrasetmmonitor.net.OutboundNetwork;
import io.github.phrasetmmonitor.phrase.PhraseLoginClient;
import io.github.phrasetmmonitor.phrase.PhraseResponses;
import io.github.phrasetmmonitor.phrase.PhraseSession;
import io.github.phrasetmmonitor.phrase.ResponseExcerpt;
import io.github.phrasetmmonitor.phrase.TranslationMemoryDirectory;
import io.github.phrasetmmonitor.poll.PollRound;
import io.github.phrasetmmonitor.state.AlertLedger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the settings once, builds the beans the YAML routes refer to by name, and gives the
 * HTTP client the monitor's timeouts and User-Agent. Runs before the routes are loaded.
 */
public final class MonitorConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorConfiguration.class);

    /** Logging in again this long before the session token expires keeps a poll from racing the expiry. */
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(10);

    @Override
    public void configure(CamelContext context) throws Exception {
        SettingsSource source = key -> context.getPropertiesComponent().resolveProperty(key);
        MonitorSettings settings = MonitorSettings.from(source);
        LOG.info("phrase-tm-monitor {} settings (secrets masked):", MonitorVersion.current());
        SettingsSummary.lines(source).forEach(LOG::info);
        String userAgent = "phrase-tm-monitor/" + MonitorVersion.current();
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        OutboundNetwork network = new OutboundNetwork(settings.network(), context);
        HttpClient jdkHttp = network.httpClient(settings.connectTimeout());
        Clock clock = Clock.systemUTC();

        Registry registry = context.getRegistry();
        registry.bind("monitorSettings", settings);
        registry.bind("pollRound", new PollRound());
        registry.bind("oneLine", new OneLine());
        registry.bind("phraseSession", new PhraseSession(settings.credentials(),
                new PhraseLoginClient(settings.baseUrl(), jdkHttp, settings.readTimeout(), userAgent, mapper),
                clock, RENEW_BEFORE_EXPIRY));
        registry.bind("phraseResponses", new PhraseResponses(new ResponseExcerpt(mapper)));
        registry.bind("translationMemories", new TranslationMemoryDirectory());
        registry.bind("taskClassifier", new TaskClassifier(settings.failedStatuses()));
        registry.bind("alertChannels", settings.channels());
        // checked here too, so an unusable state dir stops start-up with one line instead of a failed route
        AlertLedger.requireWritable(settings.stateDir().toAbsolutePath());
        registry.bind("alertLedger", new AlertLedger(settings.stateDir().resolve("alerts-sent.journal")));
        registry.bind("slackAlerts", new SlackAlertComposer());
        registry.bind("slackWebhook", new SlackWebhook(settings.slackWebhookUrl(), jdkHttp, settings.readTimeout()));
        registry.bind("emailAlerts", new EmailAlertComposer());
        registry.bind("smtpCredentials", new SmtpCredentials(settings.email()));

        // health (readiness) and the monitor's meters; Camel's Prometheus support picks up the same registry
        MonitorHealth health = new MonitorHealth(clock, new DeadManSwitch(settings.staleAfter(), settings.cron()));
        registry.bind("monitorHealth", health);
        registry.bind("phraseCredentialsHealthCheck", new CredentialsHealthCheck(health, settings.credentials()));
        registry.bind("pollingHealthCheck", new PollingHealthCheck(health));
        MonitorMetrics metrics = new MonitorMetrics(prometheusRegistry(registry), health, settings.tmUids().size());
        registry.bind("monitorMetrics", metrics);
        context.addRoutePolicyFactory(new MonitorRoutePolicies(health, metrics));

        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(settings.connectTimeout().toMillis());
            http.setResponseTimeout(settings.readTimeout().toMillis());
            http.setUserAgent(userAgent);
            network.configure(http, scheme);
        }
        MailComponent smtp = context.getComponent("smtp", MailComponent.class);
        smtp.getConfiguration().setConnectionTimeout((int) settings.readTimeout().toMillis());
        smtp.getConfiguration().getAdditionalJavaMailProperties()
                .put("mail.smtp.writetimeout", Long.toString(settings.readTimeout().toMillis()));
        network.configure(smtp.getConfiguration(), source.valueOr("alert.email.smtp-host", "localhost"));
    }

    /**
     * The registry /observe/metrics scrapes. camel-main may have started its Prometheus service (which then bound its
     * registry) before this runs, or not yet (it then takes the one bound here).
     */
    private static MeterRegistry prometheusRegistry(Registry registry) {
        MeterRegistry existing = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }
}
