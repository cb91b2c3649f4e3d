package io.github.phrasetmmonitor.config;

import io.github.phrasetmmonitor.alert.AlertChannels;
import io.github.phrasetmmonitor.alert.EmailChannel;
import io.github.phrasetmmonitor.alert.SlackChannel;
import io.github.phrasetmmonitor.net.Sizes;
import io.github.phrasetmmonitor.phrase.PhraseCredentials;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.util.TimeUtils;
import org.quartz.CronExpression;

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
        Pacing pacing) {

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
                              Optional<String> fallbackChannel, int deliveryRetries) {
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

    /** Where Platform tokens are exchanged: phrase.idm-url, or the region's when empty. */
    public static String idmUrl(SettingsSource source) {
        String region = setting(source, "phrase.region").toLowerCase(Locale.ROOT);
        return httpUrl("phrase.idm-url", source.valueOr("phrase.idm-url",
                IDM_URL_BY_REGION.getOrDefault(region, IDM_URL_BY_REGION.get("eu"))));
    }

    public static MonitorSettings from(SettingsSource source) {
        String region = setting(source, "phrase.region").toLowerCase(Locale.ROOT);
        if (!BASE_URL_BY_REGION.containsKey(region)) {
            throw new InvalidSettingsException("phrase.region '" + region + "' is not a Phrase region; use eu or us");
        }
        String baseUrl = httpUrl("phrase.base-url", source.valueOr("phrase.base-url", BASE_URL_BY_REGION.get(region)));
        String idmUrl = idmUrl(source);
        PhraseCredentials credentials = credentials(source, idmUrl);
        List<String> tmUids = list(setting(source, "monitor.tm-uids"));
        String cron = setting(source, "monitor.cron");
        if (!CronExpression.isValidExpression(cron)) {
            throw new InvalidSettingsException("monitor.cron '" + cron + "' is not a Quartz cron expression"
                    + " (seconds minutes hours day-of-month month day-of-week, e.g. 0 0/5 * * * ?)");
        }
        AlertChannels channels;
        try {
            channels = AlertChannels.parse(setting(source, "alert.channels"));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
        Optional<String> fallbackChannel = source.value("alert.fallback-channel")
                .map(channel -> channel.toLowerCase(Locale.ROOT));
        if (fallbackChannel.isPresent() && !AlertChannels.KNOWN.contains(fallbackChannel.get())) {
            throw new InvalidSettingsException("alert.fallback-channel '" + fallbackChannel.get()
                    + "' is not a channel; use slack or email, or leave it empty for no fallback");
        }
        String slack = SlackChannel.NAME;
        String mail = EmailChannel.NAME;
        boolean slackConfigured = channels.isEnabled(slack) || fallbackChannel.equals(Optional.of(slack));
        boolean emailConfigured = channels.isEnabled(mail) || fallbackChannel.equals(Optional.of(mail));
        String because = "alert.channels or alert.fallback-channel includes ";
        Optional<SlackApp> slackApp = slackApp(source, slackConfigured,
                channels.isEnabled(slack) ? "alert.channels includes " + slack : because + slack);
        String slackWebhookUrl = slackConfigured && slackApp.isEmpty()
                ? httpUrl("alert.slack.webhook-url", required(source, "alert.slack.webhook-url",
                        channels.isEnabled(slack) ? "alert.channels includes " + slack : because + slack))
                : "http://localhost/slack-is-off";
        EmailSettings email = new EmailSettings(source.valueOr("alert.email.username", ""),
                source.valueOr("alert.email.password", ""), HeloName.check(source.valueOr("alert.email.helo-name", "")),
                duration(source, "alert.email.temporary-refusal-wait"));
        if (emailConfigured) {
            String reason = channels.isEnabled(mail) ? "alert.channels includes " + mail : because + mail;
            addresses("alert.email.to", required(source, "alert.email.to", reason));
            addresses("alert.email.from", required(source, "alert.email.from", reason));
            required(source, "alert.email.smtp-host", reason);
            if (!email.password().isEmpty() && email.username().isEmpty()) {
                throw new InvalidSettingsException("alert.email.password is set but alert.email.username is not");
            }
        }
        Optional<Duration> staleAfter = source.value("monitor.stale-after").isPresent()
                ? Optional.of(duration(source, "monitor.stale-after"))
                : Optional.empty();
        return new MonitorSettings(
                baseUrl,
                credentials,
                duration(source, "phrase.connect-timeout"),
                duration(source, "phrase.read-timeout"),
                integer(source, "phrase.max-requests-per-minute", 1),
                integer(source, "phrase.max-concurrent-requests", 1),
                integer(source, "phrase.max-retries", 0),
                duration(source, "phrase.refused-login-backoff-max"),
                tmUids,
                list(setting(source, "monitor.tm-exclude-uids")),
                setting(source, "monitor.tm-name-filter"),
                list(setting(source, "monitor.failed-statuses")),
                optionalDuration(source, "monitor.stuck-after"),
                Path.of(setting(source, "monitor.state-dir")),
                channels,
                slackWebhookUrl,
                slackApp,
                email,
                new AlertPolicy(
                        bool(source, "alert.send-resolved"),
                        optionalDuration(source, "alert.repeat-interval"),
                        integer(source, "alert.digest-threshold", 1),
                        fallbackChannel,
                        integer(source, "alert.delivery.retries", 0)),
                cron,
                staleAfter,
                integer(source, "monitor.problem-threshold", 1),
                duration(source, "monitor.problem-check-interval"),
                port(source, "monitor.management-port", true),
                network(source),
                new Limits(
                        size(source, "monitor.max-answer-size"),
                        duration(source, "phrase.check-timeout"),
                        duration(source, "alert.slack.timeout"),
                        duration(source, "alert.email.timeout")),
                new Pacing(
                        duration(source, "phrase.retry-backoff"),
                        duration(source, "phrase.retry-backoff-max"),
                        duration(source, "phrase.rate-limit-pause"),
                        duration(source, "alert.delivery.max-retry-after")));
    }

    /**
     * With {@code alert.slack.bot-token}, Slack is in app mode: it needs {@code alert.slack.channel} (when Slack is a
     * configured channel) and no webhook; a webhook set as well is not used. The token goes into an HTTP header, so
     * one with spaces or control characters (a copy-and-paste accident) is refused here, without being shown.
     */
    private static Optional<SlackApp> slackApp(SettingsSource source, boolean slackConfigured, String reason) {
        Optional<String> token = source.value("alert.slack.bot-token").map(String::strip)
                .filter(value -> !value.isEmpty());
        if (token.isEmpty()) {
            return Optional.empty();
        }
        if (!token.get().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidSettingsException("alert.slack.bot-token has spaces or characters a token does not have"
                    + " (env ALERT_SLACK_BOT_TOKEN); copy the app's Bot User OAuth Token (xoxb-...) again");
        }
        String channel = slackConfigured ? required(source, "alert.slack.channel", reason + " and"
                + " alert.slack.bot-token is set").strip() : source.valueOr("alert.slack.channel", "").strip();
        URI apiUrl = URI.create(httpUrl("alert.slack.api-url", setting(source, "alert.slack.api-url")));
        return Optional.of(new SlackApp(token.get(), channel, apiUrl));
    }

    private static NetworkSettings network(SettingsSource source) {
        Optional<Path> trustStore = source.value("tls.trust-store").map(Path::of);
        String trustStorePassword = source.valueOr("tls.trust-store-password", "");
        String trustStoreType = setting(source, "tls.trust-store-type");
        if (trustStore.isPresent()) {
            NetworkSettings.checkTrustStore(trustStore.get(), trustStorePassword, trustStoreType);
        }
        Optional<NetworkSettings.Proxy> proxy = Optional.empty();
        Optional<String> proxyHost = source.value("proxy.host");
        if (proxyHost.isPresent()) {
            String user = source.valueOr("proxy.username", "");
            String password = source.valueOr("proxy.password", "");
            if (user.isEmpty() != password.isEmpty()) {
                throw new InvalidSettingsException("proxy.username and proxy.password go together: set both or"
                        + " neither (env PROXY_USERNAME, PROXY_PASSWORD)");
            }
            proxy = Optional.of(new NetworkSettings.Proxy(proxyHost.get(),
                    port(source, "proxy.port", false), user, password,
                    list(source.valueOr("proxy.non-proxy-hosts", ""))));
        } else if (source.value("proxy.username").isPresent() || source.value("proxy.password").isPresent()) {
            throw new InvalidSettingsException("proxy.username/proxy.password are set but proxy.host is not");
        }
        return new NetworkSettings(trustStore, trustStorePassword, trustStoreType, proxy);
    }

    private static int port(SettingsSource source, String key, boolean zeroAllowed) {
        String text = setting(source, key);
        try {
            int port = Integer.parseInt(text);
            if (port >= (zeroAllowed ? 0 : 1) && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException unreadable) {
            // reported below
        }
        throw new InvalidSettingsException(key + " '" + text + "' is not a port number (" + (zeroAllowed ? 0 : 1)
                + "-65535)");
    }

    private static boolean bool(SettingsSource source, String key) {
        String text = setting(source, key).toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw new InvalidSettingsException(key + " '" + text + "' is neither true nor false");
        }
        return Boolean.parseBoolean(text);
    }

    private static int integer(SettingsSource source, String key, int minimum) {
        String text = setting(source, key);
        try {
            int value = Integer.parseInt(text);
            if (value >= minimum) {
                return value;
            }
        } catch (NumberFormatException unreadable) {
            // reported below
        }
        throw new InvalidSettingsException(key + " '" + text + "' is not a whole number of at least " + minimum);
    }

    /** A duration such as 24h; empty or 0 means off ({@link Duration#ZERO}). */
    private static Duration optionalDuration(SettingsSource source, String key) {
        String text = source.valueOr(key, "0");
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        try {
            long millis = TimeUtils.toMilliSeconds(text);
            if (millis >= 0) {
                return Duration.ofMillis(millis);
            }
        } catch (RuntimeException unreadable) {
            // reported below
        }
        throw new InvalidSettingsException(key + " '" + text + "' is not a duration such as 24h or 30m (empty or 0:"
                + " off)");
    }

    private static PhraseCredentials credentials(SettingsSource source, String idmUrl) {
        var token = source.value("phrase.api-token");
        var user = source.value("phrase.username");
        var password = source.value("phrase.password");
        var platform = source.value("phrase.platform-token");
        List<String> modes = new java.util.ArrayList<>();
        token.ifPresent(t -> modes.add("phrase.api-token"));
        if (user.isPresent() || password.isPresent()) {
            modes.add("phrase.username/phrase.password");
        }
        platform.ifPresent(t -> modes.add("phrase.platform-token"));
        if (modes.size() > 1) {
            throw new InvalidSettingsException(String.join(" and ", modes) + " are all set; set only one way to sign"
                    + " in to Phrase");
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
            throw new InvalidSettingsException((user.isPresent() ? "phrase.password" : "phrase.username")
                    + " is missing: phrase.username and phrase.password go together (env PHRASE_USERNAME,"
                    + " PHRASE_PASSWORD)");
        }
        throw new InvalidSettingsException("no Phrase credentials: set PHRASE_API_TOKEN, or PHRASE_USERNAME and"
                + " PHRASE_PASSWORD, or PHRASE_PLATFORM_TOKEN (keys phrase.api-token, phrase.username, phrase.password,"
                + " phrase.platform-token)");
    }

    private static String required(SettingsSource source, String key, String because) {
        return source.value(key).orElseThrow(() -> new InvalidSettingsException(key + " is not set but " + because
                + " (env " + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")"));
    }

    /** Checks the shape of a URL without echoing it: webhook URLs are secrets. */
    private static String httpUrl(String key, String value) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (IllegalArgumentException malformed) {
            // reported below, without the value
        }
        throw new InvalidSettingsException(key + " is not an http(s) URL");
    }

    private static void addresses(String key, String value) {
        try {
            InternetAddress.parse(value, true);
        } catch (AddressException e) {
            throw new InvalidSettingsException(key + " is not a list of email addresses: " + e.getMessage());
        }
    }

    static Duration duration(SettingsSource source, String key) {
        String text = setting(source, key);
        try {
            long millis = TimeUtils.toMilliSeconds(text);
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (RuntimeException unreadable) {
            // reported below
        }
        throw new InvalidSettingsException(key + " '" + text + "' is not a positive duration such as 10s or 2m");
    }

    private static long size(SettingsSource source, String key) {
        String text = setting(source, key);
        try {
            long bytes = Sizes.parse(text);
            if (bytes >= 1024) {
                return bytes;
            }
        } catch (RuntimeException unreadable) {
            // reported below
        }
        throw new InvalidSettingsException(key + " '" + text + "' is not a size of at least 1KB such as 2MB or 512KB");
    }

    /** The value in force: the one set, else the default declared in {@link SettingsCatalog}. */
    static String setting(SettingsSource source, String key) {
        return source.valueOr(key, SettingsCatalog.defaultOf(key));
    }

    private static List<String> list(String text) {
        return List.copyOf(Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
    }
}
