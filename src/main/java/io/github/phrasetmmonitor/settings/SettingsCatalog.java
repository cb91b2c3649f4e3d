package io.github.phrasetmmonitor.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every setting of the monitor, declared once: its key, its default, whether it is a secret, and what it means. The
 * start-up summary, the masking of secrets, the check for unknown keys and the defaults the code falls back on all
 * come from here; a test holds {@code application.properties} and the README's configuration table to it. Each key
 * also has an environment name ({@link Setting#environmentName()}), as Camel resolves it.
 */
public final class SettingsCatalog {

    /** One declared setting. An empty default means "not set". */
    public record Setting(String key, String defaultValue, boolean secret, String meaning) {

        /** The environment variable Camel also reads for this key: upper case, dots and dashes as underscores. */
        public String environmentName() {
            return SettingsCatalog.environmentName(key);
        }
    }

    /** A routing rule's webhook {@code <name>} has its URL in {@code alert.slack.webhook-url.<name>}; any name. */
    public static final String NAMED_WEBHOOK_PREFIX = "alert.slack.webhook-url.";

    /** In Slack app mode, a routing rule's {@code <name>} posts to the channel {@code alert.slack.channel.<name>}. */
    public static final String NAMED_CHANNEL_PREFIX = "alert.slack.channel.";

    /** The first parts of the monitor's own keys; a key with one of them that is not declared is a mistake. */
    static final Set<String> OWN_PREFIXES = Set.of("phrase.", "monitor.", "alert.", "tls.", "proxy.", "cluster.");

    /** In the order of application.properties. */
    public static final List<Setting> ALL = List.of(
            plain("phrase.region", "eu", "eu or us: picks the default API root and Platform IDM"),
            plain("phrase.base-url", "", "API root; empty: the region's"),
            secret("phrase.api-token", "an API token, sent as Authorization: ApiToken <token>"),
            plain("phrase.username", "", "user to log in as (with phrase.password)"),
            secret("phrase.password", "password of phrase.username"),
            secret("phrase.platform-token", "a Phrase Platform API token, exchanged at the IDM"),
            plain("phrase.idm-url", "", "where Platform tokens are exchanged; empty: the region's"),
            plain("phrase.connect-timeout", "10s", "per call: the most a connection may take"),
            plain("phrase.read-timeout", "30s", "per call: the most a whole call may take"),
            plain("phrase.check-timeout", "60s", "the most one TM's check may take, retries and waits included"),
            plain("phrase.max-requests-per-minute", "3000", "the request budget all calls share"),
            plain("phrase.max-concurrent-requests", "4", "calls in flight at once"),
            plain("phrase.max-retries", "3", "retries of a call answered 5xx or 429, timed out or cut"),
            plain("phrase.retry-backoff", "500ms", "the wait before the first retry; it doubles with each, with jitter"),
            plain("phrase.retry-backoff-max", "30s", "the longest wait between two retries"),
            plain("phrase.rate-limit-pause", "60s",
                    "how long every call pauses after a 429 with rate-limit headers and no Retry-After"),
            plain("phrase.refused-login-backoff-max", "15m", "the longest wait between two attempts after a refusal"),
            plain("monitor.tm-uids", "", "the TMs to watch; empty: every TM the account lists"),
            plain("monitor.tm-name-filter", "", "when listing the account: only TMs whose name matches"),
            plain("monitor.tm-exclude-uids", "", "uids never to watch"),
            plain("monitor.cron", "0 0/5 * * * ?", "when rounds run (Quartz cron, seconds first)"),
            plain("monitor.failed-statuses", "ERROR,FAILED,FAILURE", "status strings that mean failed"),
            plain("monitor.stuck-after", "", "a task still running this long is alerted as stuck; empty: off"),
            plain("monitor.state-dir", "./data", "where the incident journal lives"),
            plain("monitor.stale-after", "", "dead-man switch; empty: 3 cron periods"),
            plain("monitor.problem-threshold", "3", "rounds in a row before an outage or a failing TM is a problem"),
            plain("monitor.problem-check-interval", "60s", "how often problems are checked for between rounds"),
            plain("monitor.max-answer-size", "2MB", "the largest answer read from Phrase, its IdP or Slack"),
            plain("monitor.management-port", "9876", "port of /observe/health and /observe/metrics"),
            plain("alert.channels", "slack", "slack, email or slack,email"),
            plain("alert.delivery.retries", "2", "retries of a delivery within a round, when they can help"),
            plain("alert.delivery.retry-delay", "1000", "ms before the first retry of a delivery; it doubles"),
            plain("alert.delivery.max-retry-after", "60s",
                    "a channel's Retry-After is waited for within the round up to this; a longer one waits for later"),
            plain("alert.fallback-channel", "", "slack or email: carries what a channel did not take"),
            plain("alert.send-resolved", "true", "a resolved notice when a failure is fixed"),
            plain("alert.repeat-interval", "", "reminders of what is still open; empty: off"),
            plain("alert.digest-threshold", "5", "above this many incidents of a kind at once: one message listing them"),
            plain("alert.templates-dir", "templates", "the message templates"),
            secret("alert.slack.webhook-url", "the default Slack incoming webhook"),
            plain("alert.slack.timeout", "10s", "the most one Slack post may take"),
            secret("alert.slack.bot-token", "a Slack app's bot token: Slack app mode, with threads"),
            plain("alert.slack.channel", "", "app mode: the default Slack channel's id"),
            plain("alert.slack.api-url", "https://slack.com/api", "app mode: Slack's Web API root"),
            plain("alert.email.to", "", "default recipients, comma-separated"),
            plain("alert.email.from", "", "sender"),
            plain("alert.email.smtp-host", "localhost", "SMTP server"),
            plain("alert.email.smtp-port", "587", "SMTP port"),
            plain("alert.email.username", "", "SMTP login"),
            secret("alert.email.password", "SMTP password"),
            plain("alert.email.starttls", "true", "STARTTLS required unless false"),
            plain("alert.email.timeout", "10s", "the most one email may take"),
            plain("alert.email.helo-name", "", "the name given in EHLO; empty: this machine's fully qualified name"),
            plain("alert.email.temporary-refusal-wait", "1m",
                    "the wait after a 4xx refusal; it doubles with each, up to 30 min"),
            plain("tls.trust-store", "", "a trust store replacing the JDK's CA list"),
            secret("tls.trust-store-password", "password of the trust store"),
            plain("tls.trust-store-type", "PKCS12", "type of the trust store"),
            plain("proxy.host", "", "outbound HTTP proxy; empty: direct"),
            plain("proxy.port", "8080", "proxy port"),
            plain("proxy.username", "", "proxy login"),
            secret("proxy.password", "proxy password"),
            plain("proxy.non-proxy-hosts", "", "hosts that go direct"),
            plain("cluster.jdbc-url", "",
                    "PostgreSQL JDBC URL of the state every instance shares; empty: one process, state in files"),
            plain("cluster.user", "", "database user"),
            secret("cluster.password", "password of cluster.user"),
            plain("cluster.schema", "phrase_tm_monitor", "the schema of the monitor's and Quartz's tables (migrated by Flyway)"),
            plain("cluster.node-name", "", "this instance's name in the cluster; empty: host name and process id"),
            plain("cluster.checkin-interval", "2s",
                    "how often a node tells the cluster it lives; one a second late is taken as dead"),
            plain("cluster.claim-lease", "60s",
                    "a notice claimed by a node that stopped renewing its claims may be sent by another after this"));

    private static final Map<String, Setting> BY_KEY = ALL.stream()
            .collect(Collectors.toMap(Setting::key, setting -> setting, (a, b) -> a, LinkedHashMap::new));

    private SettingsCatalog() {
    }

    private static Setting plain(String key, String defaultValue, String meaning) {
        return new Setting(key, defaultValue, false, meaning);
    }

    private static Setting secret(String key, String meaning) {
        return new Setting(key, "", true, meaning);
    }

    public static List<String> keys() {
        return List.copyOf(BY_KEY.keySet());
    }

    public static Optional<Setting> find(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The declared default of a key; a key that is not declared is a programming error. */
    public static String defaultOf(String key) {
        Setting setting = BY_KEY.get(key);
        if (setting == null) {
            throw new IllegalArgumentException("setting " + key + " is not declared in SettingsCatalog");
        }
        return setting.defaultValue();
    }

    /** Named webhooks are secrets whatever their name, so ops can add one without touching the code. */
    public static boolean isSecret(String key) {
        return find(key).map(Setting::secret).orElse(false) || isNamedWebhook(key);
    }

    public static boolean isNamedWebhook(String key) {
        return key.startsWith(NAMED_WEBHOOK_PREFIX) && key.length() > NAMED_WEBHOOK_PREFIX.length();
    }

    /** A key of the monitor's own namespaces that is neither declared nor a named webhook: a typo, most likely. */
    public static boolean isUnknownOwnKey(String key) {
        return OWN_PREFIXES.stream().anyMatch(key::startsWith) && !BY_KEY.containsKey(key) && !isNamedWebhook(key)
                && !isNamedChannel(key);
    }

    /** A Slack channel for a routing rule's name, in Slack app mode: any name, not a secret. */
    public static boolean isNamedChannel(String key) {
        return key.startsWith(NAMED_CHANNEL_PREFIX) && key.length() > NAMED_CHANNEL_PREFIX.length();
    }

    /** The declared key nearest to a mistyped one, for the error message. */
    public static String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String declared : BY_KEY.keySet()) {
            int distance = distance(key, declared);
            if (distance < bestDistance) {
                best = declared;
                bestDistance = distance;
            }
        }
        return best;
    }

    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
