package io.github.phrasetmmonitor.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.alert.EmailAlertComposer;
import io.github.phrasetmmonitor.alert.SlackAlertComposer;
import io.github.phrasetmmonitor.alert.SlackWebhook;
import io.github.phrasetmmonitor.classify.TaskClassifier;
import io.github.phrasetmmonitor.classify.TaskOutcome;
import io.github.phrasetmmonitor.phrase.PhraseCallPolicy;
import io.github.phrasetmmonitor.poll.PollingRounds;
import io.github.phrasetmmonitor.phrase.PhraseLoginClient;
import io.github.phrasetmmonitor.phrase.RequestBudget;
import io.github.phrasetmmonitor.phrase.WatchList;
import io.github.phrasetmmonitor.phrase.PhraseResponses;
import io.github.phrasetmmonitor.phrase.PhraseSession;
import io.github.phrasetmmonitor.phrase.ResponseExcerpt;
import io.github.phrasetmmonitor.phrase.TranslationMemoryDirectory;
import io.github.phrasetmmonitor.state.AlertLedger;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.builder.ThreadPoolBuilder;
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
    private static final Duration FIRST_RETRY_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(30);

    @Override
    public void configure(CamelContext context) throws Exception {
        MonitorSettings settings = MonitorSettings.from(
                key -> context.getPropertiesComponent().resolveProperty(key));
        String userAgent = "phrase-tm-monitor/" + MonitorVersion.current();
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        // the routes call {{phrase.base-url}}; when it is empty the region decides it
        ((org.apache.camel.component.properties.PropertiesComponent) context.getPropertiesComponent())
                .addOverrideProperty("phrase.base-url", settings.baseUrl());

        Registry registry = context.getRegistry();
        registry.bind("monitorSettings", settings);
        RequestBudget budget = new RequestBudget(settings.maxRequestsPerMinute(), settings.maxConcurrentRequests(),
                Clock.systemUTC());
        HttpClient loginHttp = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
        PhraseSession session = new PhraseSession(settings.credentials(),
                new PhraseLoginClient(settings.baseUrl(), loginHttp, settings.readTimeout(), userAgent, mapper, budget,
                        Clock.systemUTC()),
                Clock.systemUTC(), RENEW_BEFORE_EXPIRY);
        registry.bind("requestBudget", budget);
        registry.bind("phraseSession", session);
        registry.bind("phraseCallPolicy", new PhraseCallPolicy(session, budget, settings.maxRetries(),
                FIRST_RETRY_BACKOFF, MAX_RETRY_BACKOFF));
        registry.bind("phraseResponses", new PhraseResponses(new ResponseExcerpt(mapper)));
        TranslationMemoryDirectory directory = new TranslationMemoryDirectory();
        registry.bind("translationMemories", directory);
        registry.bind("watchList", new WatchList(settings.tmUids(), Set.copyOf(settings.tmExcludeUids()),
                settings.tmNameFilter(), directory));
        registry.bind("pollingRounds", new PollingRounds(Clock.systemUTC()));
        int pollThreads = settings.maxConcurrentRequests() + 1;
        registry.bind("pollingThreads", new ThreadPoolBuilder(context)
                .poolSize(pollThreads).maxPoolSize(pollThreads).maxQueueSize(pollThreads * 4)
                .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns)
                .build(this, "phrase-tm-poll"));
        registry.bind("taskClassifier", new TaskClassifier(settings.failedStatuses()));
        // the routes compare the outcome with text (${variable.outcome} == 'FAILED') for every TM
        TextToEnumConverter.register(context.getTypeConverterRegistry(), TaskOutcome.class);
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
            // PhraseCallPolicy retries within the request budget; the client's own retries would go around it
            http.setAutomaticRetriesDisabled(true);
            // keep-alive connections for every request the budget lets run at once
            http.setMaxTotalConnections(Math.max(20, settings.maxConcurrentRequests() * 2));
            http.setConnectionsPerRoute(Math.max(20, settings.maxConcurrentRequests() * 2));
        }
    }
}
