package io.github.phrasetmmonitor.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.alert.EmailAlertComposer;
import io.github.phrasetmmonitor.alert.SlackAlertComposer;
import io.github.phrasetmmonitor.alert.SlackWebhook;
import io.github.phrasetmmonitor.classify.TaskClassifier;
import io.github.phrasetmmonitor.phrase.PhraseLoginClient;
import io.github.phrasetmmonitor.phrase.PhraseResponses;
import io.github.phrasetmmonitor.phrase.PhraseSession;
import io.github.phrasetmmonitor.phrase.ResponseExcerpt;
import io.github.phrasetmmonitor.phrase.TranslationMemoryDirectory;
import io.github.phrasetmmonitor.state.AlertLedger;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.Registry;

/**
 * The composition root: reads the settings once, builds the beans the YAML routes refer to by name, and gives the
 * HTTP client the monitor's timeouts and User-Agent. Runs before the routes are loaded.
 */
public final class MonitorConfiguration implements CamelConfiguration {

    /** Logging in again this long before the session token expires keeps a poll from racing the expiry. */
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(10);

    @Override
    public void configure(CamelContext context) throws Exception {
        MonitorSettings settings = MonitorSettings.from(
                key -> context.getPropertiesComponent().resolveProperty(key));
        String userAgent = "phrase-tm-monitor/" + MonitorVersion.current();
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        Registry registry = context.getRegistry();
        registry.bind("monitorSettings", settings);
        registry.bind("phraseSession", new PhraseSession(settings.credentials(),
                new PhraseLoginClient(settings.baseUrl(), settings.connectTimeout(), settings.readTimeout(),
                        userAgent, mapper),
                Clock.systemUTC(), RENEW_BEFORE_EXPIRY));
        registry.bind("phraseResponses", new PhraseResponses(new ResponseExcerpt(mapper)));
        registry.bind("translationMemories", new TranslationMemoryDirectory());
        registry.bind("taskClassifier", new TaskClassifier(settings.failedStatuses()));
        registry.bind("alertChannels", settings.channels());
        registry.bind("alertLedger", new AlertLedger(settings.stateDir().resolve("alerts-sent.journal")));
        registry.bind("slackAlerts", new SlackAlertComposer());
        registry.bind("slackWebhook", new SlackWebhook(settings.slackWebhookUrl(), settings.readTimeout()));
        registry.bind("emailAlerts", new EmailAlertComposer());
        registry.bind("smtpCredentials", new SmtpCredentials(settings.email()));

        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(settings.connectTimeout().toMillis());
            http.setResponseTimeout(settings.readTimeout().toMillis());
            http.setUserAgent(userAgent);
        }
    }
}
