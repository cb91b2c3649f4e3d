package io.github.phrasetmmonitor.settings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings the Java side needs, read once at start-up and checked together, so a wrong or missing key stops the
 * monitor with a line that names it instead of failing at the first poll. Keys the routes use directly are checked
 * here too when a mistake in them would otherwise only show up later (cron, channels, addresses).
 */
public record MonitorSettings(
        String baseUrl,
        PhraseCredentials credentials,
        Duration connectTimeout,
        Duration readTimeout,
        int maxRequestsPerMinute,
        int maxConcurrentRequests,
        int maxRetries,
        Duration refusedLoginBackoffMax,
        List<String> tmUids,
        List<String> tmExcludeUids,
        String tmNameFilter,
        List<String> failedStatuses,
        Duration stuckAfter,
        Path stateDir,
        AlertChannels channels,
        String slackWebhookUrl,
        Optional<SlackApp> slackApp,
        EmailSettings email,
        AlertPolicy alerts,
        String cron,
        Optional<Duration> staleAfter,
        int problemThreshold,
        Duration problemCheckInterval,
        int managementPort,
        NetworkSettings network,
        Limits limits,
        Pacing pacing,
        Path templatesDir,
        TmLinks tmLinks,
        History history) {

    /**
     * The decision record of incidents: the newest {@code size} decisions of each ({@code alert.history.size}), kept
     * for {@code retention} after the incident closed ({@code alert.history.retention}).
     */
    public record History(int size, Duration retention) {
    }

    public static final String DEFAULT_BASE_URL = "https://cloud.memsource.com/web";
    public static final int DEFAULT_MANAGEMENT_PORT = 9876;
    static final Map<String, String> BASE_URL_BY_REGION = Map.of(
            "eu", DEFAULT_BASE_URL, "us", "https://us.cloud.memsource.com/web");
    static final Map<String, String> IDM_URL_BY_REGION = Map.of(
            "eu", "https://eu.phrase.com/idm/oauth/token", "us", "https://us.phrase.com/idm/oauth/token");

    @Override
    public String toString() {
        return "MonitorSettings[baseUrl=" + baseUrl + ", credentials=" + credentials + ", tmUids=" + tmUids
                + ", budget=" + maxRequestsPerMinute + "/min, " + maxConcurrentRequests + " concurrent"
                + ", channels=" + channels.enabled() + ", stateDir=" + stateDir + ", slackWebhookUrl=****"
                + ", network=" + network + "]";
    }

    /**
     * Slack app mode ({@code alert.slack.bot-token} set): Slack's Web API instead of webhooks, with threads.
     *
     * @param apiUrl  Slack's Web API root ({@code alert.slack.api-url})
     * @param channel the default channel ({@code alert.slack.channel}); empty when Slack is not a configured channel
     */
    public record SlackApp(String botToken, String channel, URI apiUrl) {
        @Override
        public String toString() {
            return "SlackApp[botToken=****, channel=" + channel + ", apiUrl=" + apiUrl + "]";
        }
    }

    /**
     * How alerts behave beyond "who": resolved notices, reminders, digests, the fallback channel, retries.
     *
     * @param repeatInterval {@link Duration#ZERO} when reminders are off
     */
    public record AlertPolicy(boolean sendResolved, Duration repeatInterval, int digestThreshold,
                              Optional<String> fallbackChannel, int deliveryRetries, Duration deliveryRetryDelay) {
    }

    /**
     * How long and how much any one party may take of the monitor, so that none can stop it.
     *
     * @param maxAnswerBytes the largest answer read from Phrase, its IdP or Slack ({@code monitor.max-answer-size})
     * @param checkTimeout   the most one TM's check may take, retries and waits included ({@code phrase.check-timeout})
     * @param slackTimeout   the most one Slack post may take, answer included ({@code alert.slack.timeout})
     * @param emailTimeout   the most one email may take, from connecting to the last reply ({@code alert.email.timeout})
     */
    public record Limits(long maxAnswerBytes, Duration checkTimeout, Duration slackTimeout, Duration emailTimeout) {
    }

    /**
     * How long the monitor waits before trying again, where ops may want another pace than the default.
     *
     * @param retryBackoff    before the first retry of a Phrase call; it doubles with each, with jitter
     *                        ({@code phrase.retry-backoff})
     * @param retryBackoffMax the longest wait between two retries of a Phrase call ({@code phrase.retry-backoff-max})
     * @param rateLimitPause  how long every Phrase call pauses after a 429 with rate-limit headers and no Retry-After,
     *                        Phrase's concurrency cap ({@code phrase.rate-limit-pause})
     * @param maxRetryAfter   a channel's Retry-After (Slack's 429) waited for within the round up to this; a longer
     *                        wait is left to later rounds ({@code alert.delivery.max-retry-after})
     */
    public record Pacing(Duration retryBackoff, Duration retryBackoffMax, Duration rateLimitPause,
                         Duration maxRetryAfter) {
    }

    /** The channels that have settings: those of alert.channels, and the fallback channel. */
    public Set<String> configuredChannels() {
        Set<String> configured = new LinkedHashSet<>(channels.enabled());
        alerts.fallbackChannel().ifPresent(configured::add);
        return Set.copyOf(configured);
    }

    /**
     * SMTP login, both empty when the server takes mail without authentication; and the name the monitor greets the
     * server with (EHLO), empty for this machine's own ({@link HeloName}); the wait after the server refused a notice
     * for now, doubling with each refusal in a row ({@code alert.email.temporary-refusal-wait}).
     */
    public record EmailSettings(String username, String password, String heloName, Duration temporaryRefusalWait) {

        public EmailSettings(String username, String password) {
            this(username, password, "", Duration.ofMinutes(1));
        }

        @Override
        public String toString() {
            return "EmailSettings[username=" + username + ", password=" + (password.isEmpty() ? "" : "****") + "]";
        }
    }

    /**
     * The settings, checked: every problem found is reported at once, in one {@link InvalidSettingsException} (for
     * start-up and validate: {@link #read}).
     */
    public static MonitorSettings from(SettingsSource source) {
        SettingsReader reader = new SettingsReader(source);
        MonitorSettings settings = read(reader);
        reader.requireNoProblems(SettingsOrigins.none());
        return settings;
    }

    /** Where Platform tokens are exchanged (route phrase-token-exchange): phrase.idm-url, or the region's when empty. */
    public static String idmUrl(SettingsSource source) {
        SettingsReader reader = new SettingsReader(source);
        return idmUrl(reader, reader.choice("phrase.region").orElse("eu"));
    }

    private static String idmUrl(SettingsReader reader, String region) {
        return reader.url("phrase.idm-url", reader.value("phrase.idm-url").orElse(IDM_URL_BY_REGION.get(region)),
                IDM_URL_BY_REGION.get(region));
    }

    /**
     * Reads every setting, noting each problem in {@code reader} instead of stopping at the first; a wrong value is
     * replaced by its default or a placeholder, so the settings returned are only to be used when there is none.
     */
    public static MonitorSettings read(SettingsReader reader) {
        String region = reader.choice("phrase.region").orElse("eu");
        String baseUrl = reader.url("phrase.base-url", reader.value("phrase.base-url")
                .orElse(BASE_URL_BY_REGION.get(region)), BASE_URL_BY_REGION.get(region));
        String idmUrl = idmUrl(reader, region);
        PhraseCredentials credentials = credentials(reader, idmUrl);
        List<String> tmUids = reader.list("monitor.tm-uids");
        String cron = reader.cron("monitor.cron");
        AlertChannels channels;
        try {
            channels = AlertChannels.parse(reader.text("alert.channels"));
        } catch (IllegalArgumentException e) {
            reader.problem(e.getMessage(), "alert.channels");
            channels = AlertChannels.parse(SettingsCatalog.defaultOf("alert.channels"));
        }
        Optional<String> fallbackChannel = reader.channel("alert.fallback-channel");
        String slack = AlertChannels.SLACK;
        String mail = AlertChannels.EMAIL;
        boolean slackConfigured = channels.isEnabled(slack) || fallbackChannel.equals(Optional.of(slack));
        boolean emailConfigured = channels.isEnabled(mail) || fallbackChannel.equals(Optional.of(mail));
        String because = "alert.channels or alert.fallback-channel includes ";
        String slackReason = channels.isEnabled(slack) ? "alert.channels includes " + slack : because + slack;
        Optional<SlackApp> slackApp = slackApp(reader, slackConfigured, slackReason);
        String slackWebhookUrl = "http://localhost/slack-is-off";
        if (slackConfigured && slackApp.isEmpty()) {
            String url = reader.required("alert.slack.webhook-url", slackReason, slackWebhookUrl);
            slackWebhookUrl = reader.url("alert.slack.webhook-url", url, slackWebhookUrl);
        }
        EmailSettings email = new EmailSettings(reader.text("alert.email.username"),
                reader.text("alert.email.password"), reader.check("alert.email.helo-name",
                        () -> HeloName.check(reader.text("alert.email.helo-name")), ""),
                reader.duration("alert.email.temporary-refusal-wait"));
        if (emailConfigured) {
            String reason = channels.isEnabled(mail) ? "alert.channels includes " + mail : because + mail;
            reader.value("alert.email.to").ifPresentOrElse(to -> reader.addresses("alert.email.to", to),
                    () -> reader.required("alert.email.to", reason, ""));
            reader.value("alert.email.from").ifPresentOrElse(from -> reader.addresses("alert.email.from", from),
                    () -> reader.required("alert.email.from", reason, ""));
            reader.required("alert.email.smtp-host", reason, "");
            if (!email.password().isEmpty() && email.username().isEmpty()) {
                reader.problem("alert.email.password is set but alert.email.username is not", "alert.email.username");
            }
        }
        // checked even when email is off: the routes read them into the SMTP endpoint, and validate should say so
        reader.port("alert.email.smtp-port");
        reader.bool("alert.email.starttls");
        // read by the reload's triggers (reload/MonitorReloads); checked here so that "yes" is an error, not "off"
        reader.bool("monitor.reload-on-change");
        return new MonitorSettings(
                baseUrl,
                credentials,
                reader.duration("phrase.connect-timeout"),
                reader.duration("phrase.read-timeout"),
                reader.count("phrase.max-requests-per-minute"),
                reader.count("phrase.max-concurrent-requests"),
                reader.count("phrase.max-retries"),
                reader.duration("phrase.refused-login-backoff-max"),
                tmUids,
                reader.list("monitor.tm-exclude-uids"),
                reader.text("monitor.tm-name-filter"),
                reader.list("monitor.failed-statuses"),
                reader.durationOrOff("monitor.stuck-after"),
                Path.of(reader.text("monitor.state-dir")),
                channels,
                slackWebhookUrl,
                slackApp,
                email,
                new AlertPolicy(
                        reader.bool("alert.send-resolved"),
                        reader.durationOrOff("alert.repeat-interval"),
                        reader.count("alert.digest-threshold"),
                        fallbackChannel,
                        reader.count("alert.delivery.retries"),
                        reader.duration("alert.delivery.retry-delay")),
                cron,
                reader.optionalDuration("monitor.stale-after"),
                reader.count("monitor.problem-threshold"),
                reader.duration("monitor.problem-check-interval"),
                reader.port("monitor.management-port"),
                network(reader),
                new Limits(
                        reader.size("monitor.max-answer-size"),
                        reader.duration("phrase.check-timeout"),
                        reader.duration("alert.slack.timeout"),
                        reader.duration("alert.email.timeout")),
                new Pacing(
                        reader.duration("phrase.retry-backoff"),
                        reader.duration("phrase.retry-backoff-max"),
                        reader.duration("phrase.rate-limit-pause"),
                        reader.duration("alert.delivery.max-retry-after")),
                Path.of(reader.text("alert.templates-dir")),
                reader.check("alert.phrase-tm-url", () -> TmLinks.read("alert.phrase-tm-url",
                        reader.text("alert.phrase-tm-url"), baseUrl), TmLinks.NONE),
                new History(reader.count("alert.history.size"), reader.duration("alert.history.retention")));
    }

    /**
     * With {@code alert.slack.bot-token}, Slack is in app mode: it needs {@code alert.slack.channel} (when Slack is a
     * configured channel) and no webhook; a webhook set as well is not used. The token goes into an HTTP header, so
     * one with spaces or control characters (a copy-and-paste accident) is refused here, without being shown.
     */
    private static Optional<SlackApp> slackApp(SettingsReader reader, boolean slackConfigured, String reason) {
        Optional<String> token = reader.value("alert.slack.bot-token");
        if (token.isEmpty()) {
            return Optional.empty();
        }
        if (!token.get().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            reader.problem("alert.slack.bot-token has spaces or characters a token does not have"
                    + " (env ALERT_SLACK_BOT_TOKEN); copy the app's Bot User OAuth Token (xoxb-...) again",
                    "alert.slack.bot-token");
        }
        String channel = slackConfigured ? reader.required("alert.slack.channel", reason + " and"
                + " alert.slack.bot-token is set", "") : reader.text("alert.slack.channel");
        URI apiUrl = URI.create(reader.url("alert.slack.api-url", reader.text("alert.slack.api-url"),
                SettingsCatalog.defaultOf("alert.slack.api-url")));
        return Optional.of(new SlackApp(token.get(), channel, apiUrl));
    }

    private static NetworkSettings network(SettingsReader reader) {
        Optional<Path> trustStore = reader.value("tls.trust-store").map(Path::of);
        String trustStorePassword = reader.text("tls.trust-store-password");
        String trustStoreType = reader.text("tls.trust-store-type");
        if (trustStore.isPresent()) {
            reader.check("tls.trust-store", () -> {
                NetworkSettings.checkTrustStore(trustStore.get(), trustStorePassword, trustStoreType);
                return true;
            }, false);
        }
        Optional<NetworkSettings.Proxy> proxy = Optional.empty();
        Optional<String> proxyHost = reader.value("proxy.host");
        int proxyPort = reader.port("proxy.port");
        String user = reader.text("proxy.username");
        String password = reader.text("proxy.password");
        if (proxyHost.isPresent()) {
            if (user.isEmpty() != password.isEmpty()) {
                reader.problem("proxy.username and proxy.password go together: set both or neither (env"
                        + " PROXY_USERNAME, PROXY_PASSWORD)", user.isEmpty() ? "proxy.password" : "proxy.username");
            }
            proxy = Optional.of(new NetworkSettings.Proxy(proxyHost.get(), proxyPort, user, password,
                    reader.list("proxy.non-proxy-hosts")));
        } else if (!user.isEmpty() || !password.isEmpty()) {
            reader.problem("proxy.username/proxy.password are set but proxy.host is not", "proxy.username");
        }
        return new NetworkSettings(trustStore, trustStorePassword, trustStoreType, proxy);
    }

    /** Exactly one way to sign in; a placeholder token stands in when there is none or more. */
    private static PhraseCredentials credentials(SettingsReader reader, String idmUrl) {
        var token = reader.value("phrase.api-token");
        var user = reader.value("phrase.username");
        var password = reader.value("phrase.password");
        var platform = reader.value("phrase.platform-token");
        PhraseCredentials placeholder = new PhraseCredentials.ApiToken("placeholder");
        List<String> modes = new java.util.ArrayList<>();
        token.ifPresent(t -> modes.add("phrase.api-token"));
        if (user.isPresent() || password.isPresent()) {
            modes.add("phrase.username/phrase.password");
        }
        platform.ifPresent(t -> modes.add("phrase.platform-token"));
        if (modes.size() > 1) {
            reader.problem(String.join(" and ", modes) + " are all set; set only one way to sign in to Phrase",
                    token.isPresent() ? "phrase.api-token" : "phrase.username");
            return placeholder;
        }
        if (token.isPresent()) {
            return new PhraseCredentials.ApiToken(token.get());
        }
        if (platform.isPresent()) {
            return new PhraseCredentials.PlatformToken(platform.get(), idmUrl);
        }
        if (user.isPresent() && password.isPresent()) {
            return new PhraseCredentials.UserLogin(user.get(), password.get());
        }
        if (user.isPresent() || password.isPresent()) {
            String missing = user.isPresent() ? "phrase.password" : "phrase.username";
            reader.problem(missing + " is missing: phrase.username and phrase.password go together (env"
                    + " PHRASE_USERNAME, PHRASE_PASSWORD)", user.isPresent() ? "phrase.username" : "phrase.password");
            return placeholder;
        }
        reader.problem("no Phrase credentials: set PHRASE_API_TOKEN, or PHRASE_USERNAME and PHRASE_PASSWORD, or"
                + " PHRASE_PLATFORM_TOKEN (keys phrase.api-token, phrase.username, phrase.password,"
                + " phrase.platform-token)", "phrase.api-token");
        return placeholder;
    }
}
