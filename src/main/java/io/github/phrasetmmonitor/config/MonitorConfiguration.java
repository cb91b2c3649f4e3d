package io.github.phrasetmmonitor.config;

import io.github.phrasetmmonitor.settings.HeloName;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import io.github.phrasetmmonitor.settings.ClusterSettings;
import io.github.phrasetmmonitor.settings.SettingsCatalog;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.alert.AlertChannel;
import io.github.phrasetmmonitor.alert.AlertPlanner;
import io.github.phrasetmmonitor.alert.DecisionRecord;
import io.github.phrasetmmonitor.alert.RoundUnderWay;
import io.github.phrasetmmonitor.alert.AlertTemplates;
import io.github.phrasetmmonitor.alert.DeliveryRetries;
import io.github.phrasetmmonitor.alert.EmailAlertComposer;
import io.github.phrasetmmonitor.alert.EmailChannel;
import io.github.phrasetmmonitor.alert.EmailRecipients;
import io.github.phrasetmmonitor.alert.NoticeMailSender;
import io.github.phrasetmmonitor.alert.NoticeMessageId;
import io.github.phrasetmmonitor.alert.RefusedRecipients;
import io.github.phrasetmmonitor.alert.TemporaryRefusals;
import io.github.phrasetmmonitor.alert.IncidentIntake;
import io.github.phrasetmmonitor.alert.SlackChannel;
import io.github.phrasetmmonitor.alert.SlackHttp;
import io.github.phrasetmmonitor.alert.SlackAlertComposer;
import io.github.phrasetmmonitor.alert.SlackWebApi;
import io.github.phrasetmmonitor.alert.SlackWebhooks;
import io.github.phrasetmmonitor.alert.LocalNoticeClaims;
import io.github.phrasetmmonitor.alert.NoticeClaims;
import io.github.phrasetmmonitor.channel.ChannelCalls;
import io.github.phrasetmmonitor.channel.ChannelMessages;
import io.github.phrasetmmonitor.channel.ChannelSettings;
import io.github.phrasetmmonitor.channel.DeclaredChannel;
import io.github.phrasetmmonitor.settings.AlertChannels;
import io.github.phrasetmmonitor.classify.TaskClassifier;
import io.github.phrasetmmonitor.cluster.ClusterDatabase;
import io.github.phrasetmmonitor.cluster.PostgresSilences;
import io.github.phrasetmmonitor.silence.SilenceJournal;
import io.github.phrasetmmonitor.silence.SilenceStore;
import io.github.phrasetmmonitor.silence.Silences;
import io.github.phrasetmmonitor.cluster.ClusterHealthCheck;
import io.github.phrasetmmonitor.cluster.ClusterHeartbeat;
import io.github.phrasetmmonitor.cluster.JoiningNode;
import io.github.phrasetmmonitor.cluster.PostgresIncidentLog;
import io.github.phrasetmmonitor.cluster.PostgresNoticeClaims;
import io.github.phrasetmmonitor.cluster.PostgresRoundLeases;
import io.github.phrasetmmonitor.cluster.QuartzCluster;
import io.github.phrasetmmonitor.classify.TaskOutcome;
import io.github.phrasetmmonitor.health.CredentialsHealthCheck;
import io.github.phrasetmmonitor.health.DeadManSwitch;
import io.github.phrasetmmonitor.health.MonitorHealth;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.health.PollingHealthCheck;
import io.github.phrasetmmonitor.logging.OneLine;
import io.github.phrasetmmonitor.metrics.CamelRouteTimings;
import io.github.phrasetmmonitor.metrics.MonitorMetrics;
import io.github.phrasetmmonitor.metrics.MonitorRoutePolicies;
import io.github.phrasetmmonitor.net.HttpGuard;
import io.github.phrasetmmonitor.net.DeadlineSockets;
import io.github.phrasetmmonitor.net.OutboundNetwork;
import io.github.phrasetmmonitor.phrase.PhraseApiCalls;
import io.github.phrasetmmonitor.phrase.PhraseCallPolicy;
import io.github.phrasetmmonitor.phrase.PhraseLoginClient;
import io.github.phrasetmmonitor.phrase.PhraseResponses;
import io.github.phrasetmmonitor.phrase.PhraseSession;
import io.github.phrasetmmonitor.phrase.RequestBudget;
import io.github.phrasetmmonitor.phrase.ResponseExcerpt;
import io.github.phrasetmmonitor.phrase.TranslationMemoryDirectory;
import io.github.phrasetmmonitor.phrase.WatchList;
import io.github.phrasetmmonitor.poll.CheckClaims;
import io.github.phrasetmmonitor.poll.CredentialsGate;
import io.github.phrasetmmonitor.poll.PollRound;
import io.github.phrasetmmonitor.poll.PollingRounds;
import io.github.phrasetmmonitor.poll.QuartzCatchUp;
import io.github.phrasetmmonitor.poll.RoundLeases;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.state.StateDirectory;
import io.github.phrasetmmonitor.summary.SummaryWiring;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the settings once ({@link StartupSettings}), builds the beans the YAML routes refer to by
 * name, and gives the HTTP and mail clients the monitor's timeouts, User-Agent, trust store and proxy. Runs before
 * the routes load.
 *
 * <p>Why split by concern, one method (or class) per concern, rather than Camel's {@code @BindToRegistry} methods:
 * the beans are built in an order with side effects between them (route policies and services added, Quartz set up
 * for one process or a cluster, a start-up listener), and share collaborators the routes never name (the clock, the
 * bounded HTTP client, the credentials gate). As {@code @BindToRegistry} methods, each of those would have to be bound
 * under a name of its own and looked up again, and the order would be Camel's, not the one read here. The bean names
 * stay those the routes use.
 */
public final class MonitorConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorConfiguration.class);
    /** Logging in again this long before the session token expires keeps a poll from racing the expiry. */
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(10);
    /** monitor.problem-check-interval in milliseconds, for route watch-monitor-problems. */
    static final String PROBLEM_CHECK_MILLIS = "problemCheckMillis";
    /** alert.delivery.retry-delay in milliseconds, for the delivery retries' redeliveryDelay. */
    static final String DELIVERY_RETRY_DELAY_MILLIS = "deliveryRetryDelayMillis";

    private final Map<String, String> pinned;

    /** As camel-main creates it: every setting from the properties files, the environment and the overrides. */
    public MonitorConfiguration() {
        this(Map.of());
    }

    /**
     * With settings that win over every other source, the environment included: Camel gives an environment variable
     * precedence over an override property, so the operator tools' dry run pins its scratch state directory here,
     * where MONITOR_STATE_DIR cannot point it at the real journal.
     */
    public MonitorConfiguration(Map<String, String> pinned) {
        this.pinned = Map.copyOf(pinned);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // every problem with the settings reported at once, else the settings in force printed once
        StartupSettings.Read read = StartupSettings.read(context, pinned);
        MonitorSettings settings = read.settings();
        Optional<ClusterSettings> clusterSettings = read.cluster();
        AlertTemplates templates = read.templates();
        // checked here too, so an unusable state dir stops start-up with one line instead of a failed route
        StateDirectory.requireWritable(settings.stateDir().toAbsolutePath());
        // the routes call {{phrase.base-url}}; when it is empty the region decides it
        ((org.apache.camel.component.properties.PropertiesComponent) context.getPropertiesComponent())
                .addOverrideProperty("phrase.base-url", settings.baseUrl());
        // and route phrase-token-exchange {{phrase.idm-url}}, the region's when empty
        ((org.apache.camel.component.properties.PropertiesComponent) context.getPropertiesComponent())
                .addOverrideProperty("phrase.idm-url", read.idmUrl());
        // the trigger of route watch-monitor-problems takes milliseconds; the setting may say 60s or 1m. A name of
        // its own: an environment variable MONITOR_PROBLEM_CHECK_INTERVAL would win over an override of the setting
        ((org.apache.camel.component.properties.PropertiesComponent) context.getPropertiesComponent())
                .addOverrideProperty(PROBLEM_CHECK_MILLIS, Long.toString(settings.problemCheckInterval().toMillis()));
        // the same for the delivery retries' redeliveryDelay, which takes milliseconds; the setting says 1s
        ((org.apache.camel.component.properties.PropertiesComponent) context.getPropertiesComponent())
                .addOverrideProperty(DELIVERY_RETRY_DELAY_MILLIS,
                        Long.toString(settings.alerts().deliveryRetryDelay().toMillis()));

        Clock clock = Clock.systemUTC();
        // cluster mode: several instances share their state and their schedule in one PostgreSQL database
        Optional<ClusterDatabase> cluster = clusterSettings.map(ClusterDatabase::open);
        if (cluster.isPresent()) {
            context.addService(cluster.get(), true, true);
            QuartzCluster.configure(context.getComponent("quartz", QuartzComponent.class), cluster.get());
            // camel-quartz's line about a trigger the cluster had already gets one of ours that explains it
            context.addStartupListener(new JoiningNode(clock.instant()));
        } else {
            QuartzCluster.singleProcess(context.getComponent("quartz", QuartzComponent.class));
        }
        OutboundNetwork network = new OutboundNetwork(settings.network(), context);
        httpComponents(context, settings, network);
        Registry registry = context.getRegistry();
        registry.bind("monitorSettings", settings);
        registry.bind("oneLine", new OneLine());

        // refused credentials stop the round, and the next attempt waits (phrase.refused-login-backoff-max)
        CredentialsGate credentialsGate = new CredentialsGate(MonitorRoutePolicies.CHECK_ROUTE, clock,
                settings.refusedLoginBackoffMax(), settings.credentials().describe());
        context.addRoutePolicyFactory(credentialsGate);
        RequestBudget budget = phraseClient(context, settings, credentialsGate, clock);
        WatchList watchList = polling(context, settings, budget, credentialsGate, clock);
        // the email addresses the SMTP server refused for good, left out of every notice until the next start
        RefusedRecipients refusedRecipients = new RefusedRecipients();
        TemporaryRefusals refusedForNow = new TemporaryRefusals(settings.email().temporaryRefusalWait(), clock);
        // the settings of the channels the route files declare (channel-*.camel.yaml), known once Camel read them
        ChannelSettings channelSettings = new ChannelSettings(key -> context.getPropertiesComponent()
                .resolveProperty(key), channel -> namedDestinations(context, channel));
        Map<String, AlertChannel> channels = channels(context, settings, refusedRecipients, refusedForNow,
                channelSettings);
        Optional<PostgresIncidentLog> sharedLog = cluster.map(PostgresIncidentLog::new);
        IncidentState incidents = incidents(context, settings, clock, channels, sharedLog);
        // the decision record of each incident: which node or host decided (history, /observe/history)
        DecisionRecord decisions = new DecisionRecord(incidents, cluster.map(db -> db.settings().nodeName())
                .orElseGet(MonitorConfiguration::hostName));
        context.getRegistry().bind("decisionRecord", decisions);
        context.addStartupListener(new HistoryPath(incidents));
        Observers observers = observability(context, settings, watchList, incidents, clock);
        observers.metrics().watchOpenIncidents(
                List.of(Incident.TASK_FAILED, Incident.TASK_STUCK, Incident.PROBLEM), incidents::unresolved);
        observers.metrics().watchRequestBudget(budget);
        RoundLeases leases = cluster.<RoundLeases>map(PostgresRoundLeases::new).orElse(RoundLeases.SINGLE_PROCESS);
        PollingRounds rounds = new PollingRounds(clock, observers.health(), observers.metrics(),
                observers.problems(), credentialsGate, leases,
                new QuartzCatchUp(context, MonitorRoutePolicies.POLL_ROUTE));
        registry.bind("pollingRounds", rounds);
        NoticeClaims claims = new LocalNoticeClaims(incidents);
        if (cluster.isPresent()) {
            PostgresNoticeClaims clusterClaims = new PostgresNoticeClaims(cluster.get(), sharedLog.get(), incidents,
                    decisions);
            ClusterHeartbeat heartbeat = new ClusterHeartbeat(context, cluster.get(), (PostgresRoundLeases) leases,
                    clusterClaims, observers.health(), prometheusRegistry(registry), clock);
            context.addService(heartbeat, true, true);
            registry.bind("clusterHealthCheck", new ClusterHealthCheck(heartbeat, cluster.get().settings().nodeName()));
            claims = clusterClaims;
        }
        registry.bind("noticeClaims", claims);
        // the channels' routes, made from their templates once Camel has read routes/ (before the start)
        ChannelMessages channelMessages = new ChannelMessages(channelSettings, clock, settings.tmLinks());
        registry.bind("channelSettings", channelSettings);
        registry.bind("channelMessages", channelMessages);
        registry.bind("channelCalls", new ChannelCalls(channelSettings));
        registry.bind("channelRoutes", new ChannelRoutes(context, channels, channelSettings, channelMessages,
                settings.templatesDir()));
        Silences silences = silences(read, settings, cluster, clock);
        registry.bind("silences", silences);
        observers.metrics().silences(silences, incidents::openIncidents);
        alerting(context, settings, templates, incidents, channels, refusedRecipients, refusedForNow,
                observers.problems(), network, clock, rounds, silences, decisions);
        // scheduled summaries (alert.summary-cron), fed by the incident state and the rounds
        SummaryWiring.wire(context, settings, channels, incidents, observers.metrics(), cluster, templates, clock);
        // what a reload of the configuration swaps: the wording, and which files are in force
        registry.bind("alertTemplates", templates);
        ConfigurationFiles files = new ConfigurationFiles(context, settings.templatesDir(), read.silences().file());
        registry.bind("configurationFiles", files);
        observers.metrics().configurationInForce(files.hash(), clusterSettings.map(ClusterSettings::nodeName)
                .orElse(""), clock.instant());
        // the engine's routes, from the jar; ops' own files (camel.main.routes-include-pattern) load after them
        Map<String, String> engine = EngineRoutes.load(context);
        RouteContract.checkAtStart(context, engine);
    }

    /**
     * camel-http, at component level so every endpoint of the routes gets it: HttpGuard's bounds (answer size, a
     * deadline per call), the trust store, the proxy, the connect timeout, keep-alive connections for every request
     * the budget lets run at once.
     */
    private void httpComponents(CamelContext context, MonitorSettings settings, OutboundNetwork network)
            throws Exception {
        HttpGuard guard = network.httpGuard(settings.limits().maxAnswerBytes(), settings.readTimeout());
        // stopped with the context, after the routes' graceful shutdown: cuts the calls still hanging then
        context.addService(guard.stopsWithTheContext(), true);
        int connections = Math.max(20, settings.maxConcurrentRequests() * 2);
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            network.configure(http, scheme, guard);
            http.setConnectTimeout(settings.connectTimeout().toMillis());
            http.setUserAgent("phrase-tm-monitor/" + MonitorVersion.current());
            http.setMaxTotalConnections(connections);
            http.setConnectionsPerRoute(connections);
        }
    }

    /** Signing in, the request budget and retry policy, and the bounded GET the routes make. */
    private RequestBudget phraseClient(CamelContext context, MonitorSettings settings,
                                       CredentialsGate credentialsGate, Clock clock) {
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        RequestBudget budget = new RequestBudget(settings.maxRequestsPerMinute(), settings.maxConcurrentRequests(),
                clock);
        PhraseApiCalls calls = new PhraseApiCalls(settings.readTimeout());
        PhraseSession session = new PhraseSession(settings.credentials(),
                new PhraseLoginClient(context.createProducerTemplate(), calls, mapper, budget, clock),
                clock, RENEW_BEFORE_EXPIRY, credentialsGate);
        Registry registry = context.getRegistry();
        registry.bind("requestBudget", budget);
        registry.bind("phraseSession", session);
        registry.bind("phraseApi", calls);
        registry.bind("phraseCallPolicy", new PhraseCallPolicy(session, credentialsGate, budget,
                settings.maxRetries(), settings.pacing()));
        registry.bind("phraseResponses", new PhraseResponses(new ResponseExcerpt(mapper)));
        return budget;
    }

    /** What a round checks, how many at a time, and how a TM's task is classified. */
    private WatchList polling(CamelContext context, MonitorSettings settings, RequestBudget budget,
                              CredentialsGate credentialsGate, Clock clock) throws Exception {
        Registry registry = context.getRegistry();
        TranslationMemoryDirectory directory = new TranslationMemoryDirectory();
        WatchList watchList = new WatchList(settings.tmUids(), Set.copyOf(settings.tmExcludeUids()),
                settings.tmNameFilter(), directory);
        registry.bind("translationMemories", directory);
        registry.bind("watchList", watchList);
        CheckClaims claims = new CheckClaims(MonitorRoutePolicies.CHECK_ROUTE, clock);
        context.addRoutePolicyFactory(claims);
        registry.bind("checkClaims", claims);
        registry.bind("pollRound", new PollRound(claims, credentialsGate, settings.limits().checkTimeout()));
        int pollThreads = budget.maxConcurrent() + 1;
        registry.bind("pollingThreads", new ThreadPoolBuilder(context)
                .poolSize(pollThreads).maxPoolSize(pollThreads).maxQueueSize(pollThreads * 4)
                .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns)
                .build(this, "phrase-tm-poll"));
        registry.bind("taskClassifier", new TaskClassifier(settings.failedStatuses()));
        // the routes compare the outcome with text (${variable.outcome} == 'FAILED') for every TM
        TextToEnumConverter.register(context.getTypeConverterRegistry(), TaskOutcome.class);
        return watchList;
    }

    private record Observers(MonitorHealth health, MonitorMetrics metrics, MonitorProblems problems) {
    }

    /** Readiness checks and the monitor's meters; Camel's Prometheus support scrapes the same registry. */
    private Observers observability(CamelContext context, MonitorSettings settings, WatchList watchList,
                                    IncidentState incidents, Clock clock) throws Exception {
        Registry registry = context.getRegistry();
        CheckClaims claims = registry.lookupByNameAndType("checkClaims", CheckClaims.class);
        MonitorHealth health = new MonitorHealth(clock, new DeadManSwitch(settings.staleAfter(), settings.cron()));
        registry.bind("monitorHealth", health);
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext starting, boolean alreadyStarted) {
                // the dead-man switch counts once the routes run
            }

            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                health.pollingStarted();
            }
        });
        registry.bind("phraseCredentialsHealthCheck", new CredentialsHealthCheck(health, settings.credentials()));
        registry.bind("pollingHealthCheck", new PollingHealthCheck(health));
        MonitorMetrics metrics = new MonitorMetrics(prometheusRegistry(registry), health, watchList::watchedCount,
                settings.configuredChannels());
        CamelRouteTimings.install(context, prometheusRegistry(registry));
        registry.bind("monitorMetrics", metrics);
        // the monitor's own problems, detected here and told through the incident pipeline like failed tasks
        TranslationMemoryDirectory directory = registry.lookupByNameAndType("translationMemories",
                TranslationMemoryDirectory.class);
        MonitorProblems problems = new MonitorProblems(incidents, health, clock, settings.problemThreshold(),
                settings.credentials().describe(), uid -> {
                    var tm = directory.cached(uid);
                    return tm == null ? null : tm.name();
                }, claims::inFlight);
        registry.bind("monitorProblems", problems);
        context.addRoutePolicyFactory(new MonitorRoutePolicies(health, metrics, problems));
        return new Observers(health, metrics, problems);
    }

    /** The destination names the properties files set a channel's settings for: alert.<channel>.<setting>.<name>. */
    private static List<String> namedDestinations(CamelContext context, String channel) {
        String prefix = "alert." + channel + ".";
        return context.getPropertiesComponent().loadProperties(key -> key.startsWith(prefix)).stringPropertyNames()
                .stream().map(key -> key.substring(prefix.length()).split("\\.", 2))
                .filter(parts -> parts.length == 2).map(parts -> parts[1]).distinct().toList();
    }

    /**
     * The channels with settings (alert.channels and alert.fallback-channel), by name. Slack and email have Java of
     * their own (Slack's threads, SMTP per recipient); any other is what its file in routes/ declares.
     */
    private static Map<String, AlertChannel> channels(CamelContext context, MonitorSettings settings,
                                                      RefusedRecipients refusedRecipients,
                                                      TemporaryRefusals refusedForNow,
                                                      ChannelSettings channelSettings) {
        Map<String, AlertChannel> channels = new LinkedHashMap<>();
        for (String name : settings.configuredChannels()) {
            channels.put(name, switch (name) {
                case AlertChannels.SLACK -> new SlackChannel();
                case AlertChannels.EMAIL -> emailChannel(context, refusedRecipients, refusedForNow);
                default -> new DeclaredChannel(name, channelSettings);
            });
        }
        return channels;
    }

    private static EmailChannel emailChannel(CamelContext context, RefusedRecipients refusedRecipients,
                                             TemporaryRefusals refusedForNow) {
        return new EmailChannel(context.getPropertiesComponent().resolveProperty("alert.email.to").orElse(""),
                refusedRecipients, refusedForNow);
    }

    /** The one journal of incidents, failed tasks and the monitor's problems alike. */
    private IncidentState incidents(CamelContext context, MonitorSettings settings, Clock clock,
                                    Map<String, AlertChannel> channels, Optional<PostgresIncidentLog> shared)
            throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        channels.forEach((name, channel) -> defaults.put(name, channel.defaultDestination()));
        IncidentState.HistoryBounds history = new IncidentState.HistoryBounds(settings.history().size(),
                settings.history().retention());
        IncidentState state = shared
                .map(log -> new IncidentState(log, clock, settings.alerts().sendResolved(), history))
                .orElseGet(() -> new IncidentState(settings.stateDir().resolve(IncidentState.JOURNAL), clock,
                        settings.alerts().sendResolved(), defaults, history));
        context.addService(state, true, true);
        context.getRegistry().bind("incidentState", state);
        return state;
    }

    /**
     * The maintenance windows of the silences file, and the ad-hoc silences of the state: in monitor.state-dir for one
     * process, in the cluster database for a cluster, so every node holds back the same notices.
     */
    private static Silences silences(StartupSettings.Read read, MonitorSettings settings,
                                     Optional<ClusterDatabase> cluster, Clock clock) {
        SilenceStore store = cluster.<SilenceStore>map(PostgresSilences::new)
                .orElseGet(() -> new SilenceJournal(settings.stateDir()));
        return new Silences(read.windows(), store, read.silences().dropAfterSilence()
                ? Silences.AfterSilence.DROP : Silences.AfterSilence.TELL, clock);
    }

    /** What is due when, the wording, and the Slack and SMTP deliveries. */
    private void alerting(CamelContext context, MonitorSettings settings, AlertTemplates templates,
                          IncidentState state,
                          Map<String, AlertChannel> channels, RefusedRecipients refusedRecipients,
                          TemporaryRefusals refusedForNow,
                          MonitorProblems problems, OutboundNetwork network, Clock clock,
                          RoundUnderWay roundUnderWay, Silences silences,
                          DecisionRecord decisions) throws Exception {
        Registry registry = context.getRegistry();
        MonitorSettings.AlertPolicy policy = settings.alerts();
        registry.bind("incidents", new IncidentIntake(state, channels, settings.stuckAfter(), roundUnderWay));
        AlertPlanner plan = new AlertPlanner(state, channels, policy.fallbackChannel(),
                policy.repeatInterval(), policy.digestThreshold(), roundUnderWay, silences,
                decisions);
        registry.bind("alertPlan", plan);
        SlackAlertComposer slackComposer = new SlackAlertComposer(templates, settings.tmLinks());
        registry.bind("slackAlerts", slackComposer);
        // Slack's calls on camel-http (routes/engine/channel-slack.camel.yaml), each bounded by alert.slack.timeout
        SlackHttp slackHttp = new SlackHttp(context.createProducerTemplate(), settings.limits().slackTimeout());
        SlackWebhooks webhooks = new SlackWebhooks(name -> Routing.DEFAULT_WEBHOOK.equals(name)
                ? Optional.of(settings.slackWebhookUrl())
                : context.getPropertiesComponent().resolveProperty("alert.slack.webhook-url." + name)
                        .map(String::trim).filter(url -> !url.isEmpty()),
                slackHttp, clock);
        registry.bind("slackWebhooks", webhooks);
        // the route send-slack-alert posts through bean "slack": the Web API when a bot token is set, else webhooks
        if (settings.slackApp().isPresent()) {
            MonitorSettings.SlackApp app = settings.slackApp().get();
            registry.bind("slack", new SlackWebApi(app.apiUrl(), app.botToken(), name -> Routing.DEFAULT_WEBHOOK
                    .equals(name) ? Optional.of(app.channel())
                    : context.getPropertiesComponent().resolveProperty(SettingsCatalog.NAMED_CHANNEL_PREFIX + name),
                    slackComposer, slackHttp, clock));
            if (settings.configuredChannels().contains(SlackChannel.NAME)) {
                boolean webhookToo = context.getPropertiesComponent().resolveProperty("alert.slack.webhook-url")
                        .filter(url -> !url.isBlank()).isPresent();
                LOG.info("Slack app mode: alerts go to Slack channel {} through {} with the bot token, reminders and"
                        + " resolved notices to their threads{}", app.channel(), app.apiUrl(), webhookToo
                        ? "; alert.slack.webhook-url and named webhooks are not used while alert.slack.bot-token is set"
                        : "");
            }
        } else {
            registry.bind("slack", webhooks);
        }
        registry.bind("emailAlerts", new EmailAlertComposer(templates, new NoticeMessageId(
                context.getPropertiesComponent().resolveProperty("alert.email.from").orElse("")), settings.tmLinks()));
        EmailChannel email = channels.get(EmailChannel.NAME) instanceof EmailChannel configured ? configured
                : emailChannel(context, refusedRecipients, refusedForNow);
        registry.bind("emailRecipients", new EmailRecipients(plan, email, refusedRecipients, problems));
        registry.bind("deliveryRetries", new DeliveryRetries(channels, policy.deliveryRetries(),
                settings.pacing().maxRetryAfter(), plan::afterFailure));
        registry.bind("smtpCredentials", new SmtpCredentials(settings.email()));

        MailComponent smtp = context.getComponent("smtp", MailComponent.class);
        // every copy of a notice names all its recipients in To:, and goes only to those who lack it
        smtp.setConfiguration(new NoticeMailSender.Configuration(context));
        // camel-mail gives the connection timeout to JavaMail's connect and read timeouts alike
        int emailTimeout = (int) Math.min(settings.limits().emailTimeout().toMillis(), Integer.MAX_VALUE);
        smtp.getConfiguration().setConnectionTimeout(emailTimeout);
        Properties mail = smtp.getConfiguration().getAdditionalJavaMailProperties();
        // those bound each connect and read; a server that trickles its replies never trips them. This bounds the
        // whole message, writes included (no mail.smtp.writetimeout, which costs JavaMail a thread per connection)
        DeadlineSockets sockets = new DeadlineSockets(settings.limits().emailTimeout(),
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "smtp-deadline"));
        // stopped with the context, after the routes' graceful shutdown: closes the SMTP connections still hanging
        context.addService(sockets, true);
        mail.put("mail.smtp.socketFactory", sockets);
        // else JavaMail tries again with a plain socket, one without the deadline, when ours fails to connect
        mail.put("mail.smtp.socketFactory.fallback", "false");
        // the name in EHLO: JavaMail's own guess is often "localhost" in a container, which servers that check it refuse
        mail.put("mail.smtp.localhost", HeloName.of(settings.email().heloName()));
        // a recipient the server refuses does not stop the message to the others (EmailRecipients)
        mail.put("mail.smtp.sendpartial", "true");
        // JavaMail ends the Message-ID in the domain of mail.from; without it, in the SMTP host's name
        context.getPropertiesComponent().resolveProperty("alert.email.from").map(String::trim)
                .filter(from -> !from.isEmpty()).ifPresent(from -> mail.put("mail.from", from));
        network.configure(smtp.getConfiguration(),
                context.getPropertiesComponent().resolveProperty("alert.email.smtp-host").orElse("localhost"));
    }

    /** The host a single process decides on, for the decision record. */
    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
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
