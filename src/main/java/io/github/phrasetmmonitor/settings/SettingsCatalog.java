package io.github.phrasetmmonitor.settings;

import io.github.phrasetmmonitor.settings.Setting.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every setting of the monitor, declared once ({@link Setting}): its key, type, default, range, whether it is a
 * secret, and what it means. The reading and checking of the settings ({@link SettingsReader}), validate, the
 * start-up summary, the masking of secrets, the check for unknown keys, application.properties and
 * docs/configuration.md ({@link SettingsReference}) all come from here; tests hold the committed files to it and fail
 * on a key used in the code, the routes or the templates that is not declared. Adding a setting is one line here
 * plus the code that uses it. Each key also has an environment name ({@link Setting#environmentName()}).
 */
public final class SettingsCatalog {

    /** A routing rule's webhook {@code <name>} has its URL in {@code alert.slack.webhook-url.<name>}; any name. */
    public static final String NAMED_WEBHOOK_PREFIX = "alert.slack.webhook-url.";

    /** In Slack app mode, a routing rule's {@code <name>} posts to the channel {@code alert.slack.channel.<name>}. */
    public static final String NAMED_CHANNEL_PREFIX = "alert.slack.channel.";

    /** The first parts of the monitor's own keys; a key with one of them that is not declared is a mistake. */
    private static final Pattern CHANNEL_SETTING = Pattern.compile("alert\\.([a-z][a-z0-9-]*)\\.[a-z0-9.-]+");
    static final Set<String> OWN_PREFIXES = Set.of("phrase.", "monitor.", "alert.", "tls.", "proxy.", "cluster.");

    /** In the order of application.properties; the meanings are what application.properties and the reference say. */
    public static final List<Setting> ALL = List.of(
            oneOf("phrase.region", "eu", List.of("eu", "us"),
                    "The data centre: picks the default API root and Platform IDM below."),
            of("phrase.base-url", Type.URL, "",
                    "The API root; empty: the region's, eu https://cloud.memsource.com/web,"
                            + " us https://us.cloud.memsource.com/web."),
            secret("phrase.api-token", Type.TEXT,
                    "Sign in with exactly one of an API token, a user, or a Platform token. An API token is sent as"
                            + " \"Authorization: ApiToken <token>\"."),
            of("phrase.username", Type.TEXT, "",
                    "A Phrase user to sign in as, with phrase.password: the monitor logs in once, reuses the 24-hour"
                            + " token, and logs in again 10 minutes before it expires or after a 401."),
            secret("phrase.password", Type.TEXT, "The password of phrase.username."),
            secret("phrase.platform-token", Type.TEXT,
                    "A Phrase Platform API token, exchanged at phrase.idm-url for a Bearer token of about 4 hours."),
            of("phrase.idm-url", Type.URL, "",
                    "Where Platform tokens are exchanged; empty: the region's, eu https://eu.phrase.com/idm/oauth/token,"
                            + " us https://us.phrase.com/idm/oauth/token."),
            of("phrase.connect-timeout", Type.DURATION, "10s", "Per call to Phrase: the most connecting may take."),
            of("phrase.read-timeout", Type.DURATION, "30s",
                    "Per call to Phrase: the most the whole call may take, from the request to the last byte of the"
                            + " answer, so an answer trickled a byte at a time is cut there too."),
            of("phrase.check-timeout", Type.DURATION, "60s",
                    "The most one TM's check may take, its retries and their waits included; a retry that would end"
                            + " later is not tried, and that TM waits for the next round. A check still running when"
                            + " the next round starts finishes beside it; that round skips the TM with one line, so"
                            + " one slow TM never delays the others."),
            count("phrase.max-requests-per-minute", "3000", 1,
                    "The request budget every call to Phrase shares (login, TM list, TM details, lastBackgroundTask),"
                            + " spread evenly over the minute. Phrase allows 6,000 requests per minute per user; the"
                            + " default takes half, leaving room for the account's other integrations."),
            count("phrase.max-concurrent-requests", "4", 1,
                    "Calls to Phrase in flight at once (Phrase caps concurrent requests too); a round polls this many"
                            + " TMs at a time."),
            count("phrase.max-retries", "3", 0,
                    "Retries of a call answered 5xx or 429, timed out or cut off, with growing jittered waits (a 429"
                            + " waits as Retry-After says); then that TM waits for the next round."),
            of("phrase.retry-backoff", Type.DURATION, "500ms",
                    "The wait before the first retry of a Phrase call; it doubles with each retry, with jitter, up to"
                            + " phrase.retry-backoff-max."),
            of("phrase.retry-backoff-max", Type.DURATION, "30s", "The longest wait between two retries of a Phrase"
                    + " call."),
            of("phrase.rate-limit-pause", Type.DURATION, "60s",
                    "How long every call pauses after a 429 that carries rate-limit headers but no Retry-After"
                            + " (Phrase's cap on concurrent requests)."),
            of("phrase.refused-login-backoff-max", Type.DURATION, "15m",
                    "When Phrase refuses the credentials (the login, the Platform token exchange, or a call: 401/403),"
                            + " the rest of that round is skipped and the next attempt waits: one round, then twice as"
                            + " many after each refusal in a row, but never longer than this. A round in which Phrase"
                            + " answers ends the wait."),
            of("monitor.tm-uids", Type.LIST, "",
                    "The uids of the translation memories to watch (the uid is in the TM's URL in Phrase). Empty:"
                            + " every TM the account can see, listed anew each round (new TMs are picked up, deleted"
                            + " ones dropped)."),
            of("monitor.tm-name-filter", Type.TEXT, "",
                    "With an empty monitor.tm-uids: only TMs whose name matches this (Phrase's name filter on the TM"
                            + " list)."),
            of("monitor.tm-exclude-uids", Type.LIST, "", "TM uids never to watch, in either mode."),
            of("monitor.cron", Type.CRON, "0 0/5 * * * ?",
                    "When rounds run; the default is every 5 minutes. A tick that finds the previous round still"
                            + " handing out TMs is skipped with a log line; slow checks left over from it do not hold"
                            + " the next round (phrase.check-timeout)."),
            of("monitor.failed-statuses", Type.LIST, "ERROR,FAILED,FAILURE",
                    "Phrase's status strings that mean failed, case-insensitive. An error code, error details or"
                            + " lastTaskError mark a task failed whatever its status says."),
            of("monitor.stuck-after", Type.DURATION_OR_OFF, "",
                    "A task still RUNNING this long after Phrase created it (its asyncRequest.dateCreated) is an"
                            + " incident of its own, stuck (incidentKind task-stuck): alerted once, reminded and"
                            + " resolved like a failure (resolved when it finishes or a newer task appears)."),
            of("monitor.state-dir", Type.PATH, "./data",
                    "Where the incident state lives (incidents.journal), which keeps \"once\" across restarts; must be"
                            + " writable, or start-up stops naming it."),
            of("monitor.stale-after", Type.DURATION, "",
                    "Dead-man switch: readiness goes DOWN when no round has succeeded for this long. Empty: when the"
                            + " three rounds scheduled after the last success have all come and gone (each given one"
                            + " cron period), so a working-hours cron does not go stale overnight."),
            count("monitor.problem-threshold", "3", 1,
                    "Problems of the monitor itself are incidents like failed tasks, routed by the routing rules and"
                            + " told when they start and end. This many rounds in a row in which no TM got an answer"
                            + " is one phrase-unavailable problem; a TM whose poll failed this many rounds in a row"
                            + " while others answered is a tm-failing problem."),
            of("monitor.problem-check-interval", Type.DURATION, "60s",
                    "How often the dead-man switch is checked and new problems are routed and sent, between rounds"
                            + " too, so the dead-man switch fires when rounds stop; a problem over before the next"
                            + " check is never told."),
            of("monitor.max-answer-size", Type.SIZE, "2MB",
                    "The largest answer read from Phrase, its IdP or Slack. A larger one is refused while it arrives:"
                            + " one line names the TM and the call, that TM is skipped this round, the others go on."),
            port("monitor.management-port", "9876", 0,
                    "The port of /observe/health and /observe/metrics (the management server); 0 picks a free port."),
            of("monitor.silences-file", Type.PATH, "silences.yaml",
                    "The maintenance windows: incidents they match are recorded but not delivered while a window is"
                            + " on (see docs/silences.md). Read and checked at start-up and by validate; no such file:"
                            + " no windows. Ad-hoc silences (the silence command) are kept in the state instead."),
            of("monitor.reload-on-change", Type.BOOLEAN, "false",
                    "Reload the configuration by itself when one of ops' files changes (application.properties,"
                            + " routes/*.camel.yaml, templates/, the silences file), a second or two after the last change, as on SIGHUP"
                            + " or POST /-/reload to the management port: a valid new configuration is applied between"
                            + " rounds, an invalid one is refused and the last good one stays in force."),
            new Setting("alert.channels", Type.CHANNEL_LIST, "slack", 0, List.of(), false, false,
                    "The default channels: slack, email, or any other channel routes/ declares (a file"
                            + " channel-<name>.camel.yaml: pagerduty, teams and alertmanager ship as examples), e.g."
                            + " slack,email. Routing rules may choose others."),
            count("alert.delivery.retries", "2", 0,
                    "Retries of a delivery within a round when they can help: Slack 5xx, timeouts, 429 (after its"
                            + " Retry-After, up to alert.delivery.max-retry-after); SMTP: no connection, a 421"
                            + " greeting (an SMTP 4xx to a recipient or the message waits"
                            + " alert.email.temporary-refusal-wait instead). Final for the round: an SMTP 5xx, a TLS"
                            + " certificate that is not trusted (tls.trust-store) or names another host, an SMTP"
                            + " server without STARTTLS while alert.email.starttls requires it. Then the fallback"
                            + " channel, or a later round."),
            of("alert.delivery.retry-delay", Type.DURATION, "1s",
                    "The wait before the first retry of a delivery; it doubles with each retry. A bare number, the"
                            + " old form, is still read as milliseconds."),
            of("alert.delivery.max-retry-after", Type.DURATION, "60s",
                    "A channel that asks to wait (Slack's 429 Retry-After) is waited for within the round up to this"
                            + " long; a longer wait is left to later rounds."),
            new Setting("alert.fallback-channel", Type.CHANNEL, "", 0, List.of(), false, false,
                    "A notice a channel did not take after its retries goes out on this channel instead, marked as a"
                            + " fallback; it must be configured but need not be in alert.channels. Empty: no fallback;"
                            + " the notice waits for later rounds, as it does when the fallback fails too."),
            of("alert.send-resolved", Type.BOOLEAN, "true",
                    "A resolved notice, on the channels that got the failure, when a later task of the TM finished"
                            + " without error."),
            of("alert.repeat-interval", Type.DURATION_OR_OFF, "",
                    "An unresolved failure is sent again, marked as a reminder, once per this interval (e.g. 24h)."),
            count("alert.digest-threshold", "5", 1,
                    "More incidents of a kind (failed tasks, problems) than this due at once on a channel: one"
                            + " message per destination listing them instead of one each, for alerts, reminders and"
                            + " resolved notices alike. The failed and stuck tasks a round finds are counted when the"
                            + " round ends, so a delivery pass in the middle of a long round does not split a storm;"
                            + " a slow check delays its round's notices by at most phrase.check-timeout."),
            of("alert.summary-cron", Type.CRON, "",
                    "A summary of the period since the last one (rounds and checks by outcome, tasks failed, stuck and"
                            + " still open, time to resolve, the TMs that failed most, the monitor's own problems and"
                            + " how long each lasted), sent at each tick of this Quartz cron, e.g. 0 0 8 ? * MON for"
                            + " Mondays at 08:00 UTC. Empty: no summaries. In a cluster it is sent once."),
            new Setting("alert.summary-channels", Type.CHANNEL_LIST, "", 0, List.of(), false, false,
                    "The channels a summary goes to, each to its default destination (alert.slack.webhook-url,"
                            + " alert.email.to). Empty: every channel of alert.channels that takes summaries (slack,"
                            + " email)."),
            count("alert.summary-top-tms", "5", 1,
                    "How many of the TMs that failed most a summary lists."),
            count("alert.history.size", "50", 1,
                    "The decision record of an incident (operator tool history, /observe/history) keeps its newest"
                            + " this many decisions: each notice sent, each one held back and why. A reason held back"
                            + " again on later delivery passes is one decision, not one per pass."),
            of("alert.history.retention", Type.DURATION, "7d",
                    "How long the decision record of a closed incident (resolved, superseded, withdrawn) stays"
                            + " available to history after it was closed; then it is dropped (from the journal at the"
                            + " next start, from what history shows at once)."),
            of("alert.templates-dir", Type.PATH, "templates",
                    "The alert wording: Mustache templates, one YAML file per channel and kind, read and checked at"
                            + " start-up like routes/."),
            oneOf("alert.after-silence", "tell", List.of("tell", "drop"),
                    "What becomes of the notices a silence or maintenance window held back, when it ends: tell sends"
                            + " what is still due, once (an incident resolved meanwhile that no channel was told of"
                            + " is dropped); drop counts them as told without sending them."),
            of("alert.phrase-tm-url", Type.URL_TEMPLATE, "",
                    "The link into Phrase's web application that every alert, reminder, digest line and resolved"
                            + " notice about a TM carries (a button in Slack, a link in email, links in the channels"
                            + " that take them): an http(s) URL in which {tmUid} stands for the TM's uid. Empty: the"
                            + " TM's page on the host of phrase.base-url, eu"
                            + " https://cloud.memsource.com/web/transMemory/show/{tmUid}, us"
                            + " https://us.cloud.memsource.com/web/transMemory/show/{tmUid} (a base URL pointing at a"
                            + " proxy or a stand-in links to that host). off: no links. Phrase has no web page for a"
                            + " background task, so the link is to its TM."),
            secret("alert.slack.webhook-url", Type.URL,
                    "The default Slack incoming webhook. More webhooks, for routing rules that set slackWebhook to"
                            + " <name>, go in alert.slack.webhook-url.<name> (env ALERT_SLACK_WEBHOOK_URL_<NAME>), each"
                            + " a secret too."),
            of("alert.slack.timeout", Type.DURATION, "10s",
                    "The most one Slack post may take, Slack's answer included. Each channel delivers on its own"
                            + " thread, so a slow Slack holds up neither email nor polling."),
            secret("alert.slack.bot-token", Type.TEXT,
                    "Slack app mode instead of webhooks: a Slack app's bot token (xoxb-..., scope chat:write). Alerts"
                            + " are posted with chat.postMessage to alert.slack.channel, reminders and the resolved"
                            + " notice reply in the alert's thread, and the alert is edited when resolved. While it is"
                            + " set, webhooks are not used."),
            of("alert.slack.channel", Type.TEXT, "",
                    "App mode: the id of the default Slack channel (e.g. C0123ABCD; invite the app to it), required"
                            + " when the token is set and Slack is a channel. A routing rule's slackWebhook <name> posts"
                            + " to alert.slack.channel.<name> (env ALERT_SLACK_CHANNEL_<NAME>), not a secret."),
            of("alert.slack.api-url", Type.URL, "https://slack.com/api",
                    "App mode: Slack's Web API root; change it only for a test stand-in or a proxy in front of"
                            + " Slack."),
            of("alert.email.to", Type.ADDRESS_LIST, "",
                    "The default recipients (routing rules may choose others). The server takes or refuses each on"
                            + " its own: the others still get the alert, nobody gets it twice, and a mailbox refused"
                            + " for good (5.1.x) is told once as a monitor problem and left out until the monitor"
                            + " restarts. A refusal of the monitor itself (relaying denied, the EHLO name, the sender,"
                            + " a login required) is one problem (email-refused), and nobody is left out."),
            of("alert.email.from", Type.ADDRESS, "",
                    "The sender; one Message-ID per notice, on every copy, ends in its domain."),
            of("alert.email.smtp-host", Type.TEXT, "localhost", "The SMTP server."),
            port("alert.email.smtp-port", "587", 1, "The SMTP server's port."),
            of("alert.email.username", Type.TEXT, "",
                    "The SMTP login; leave it and alert.email.password empty for a server without authentication."),
            secret("alert.email.password", Type.TEXT, "The password of alert.email.username."),
            of("alert.email.starttls", Type.BOOLEAN, "true",
                    "STARTTLS is required unless false; the server's certificate and name are checked. A server that"
                            + " does not offer it, a certificate that is not trusted (tls.trust-store) or one for"
                            + " another name fails the delivery for the round, without retries, with one line."),
            of("alert.email.timeout", Type.DURATION, "10s",
                    "The most one email may take, from connecting (through the proxy too) to the server's last reply;"
                            + " also the limit for connecting and for each read and write. A server that answers"
                            + " slowly, not at all, or a byte at a time is cut off then, and the delivery is retried"
                            + " like a lost connection."),
            of("alert.email.temporary-refusal-wait", Type.DURATION, "1m",
                    "After the SMTP server refused a notice for now (4xx: greylisting, a busy mailbox, a full queue),"
                            + " for some recipients or the whole message, the next attempt waits this long instead of"
                            + " a retry within the round; the wait doubles with each refusal in a row, up to 30 min,"
                            + " and the first delivery pass after it tries again. Those who took it are not sent it"
                            + " again."),
            of("alert.email.helo-name", Type.TEXT, "",
                    "The name the monitor greets the SMTP server with (EHLO). Empty: this machine's fully qualified"
                            + " name, or, when it has none (a container's short name or localhost), its address as"
                            + " [192.0.2.10]. Servers that check it (Postfix's reject_non_fqdn_helo_hostname) refuse"
                            + " localhost for every recipient."),
            of("tls.trust-store", Type.PATH, "",
                    "A trust store that replaces the JDK's CA list for Phrase, Slack and SMTP, e.g. with a corporate"
                            + " CA that re-signs TLS; empty: the JDK's. Certificates are always verified; there is no"
                            + " way to turn that off."),
            secret("tls.trust-store-password", Type.TEXT, "The password of tls.trust-store."),
            of("tls.trust-store-type", Type.TEXT, "PKCS12", "The type of tls.trust-store (PKCS12, JKS)."),
            of("proxy.host", Type.TEXT, "",
                    "An outbound HTTP proxy for Phrase, Slack and SMTP (HTTP CONNECT for TLS); empty: connect"
                            + " directly."),
            port("proxy.port", "8080", 1, "The proxy's port."),
            of("proxy.username", Type.TEXT, "", "The proxy login (Basic), with proxy.password: both or neither."),
            secret("proxy.password", Type.TEXT, "The password of proxy.username."),
            of("proxy.non-proxy-hosts", Type.LIST, "",
                    "Hosts that bypass the proxy; * matches any part, e.g. localhost,*.corp.example."),
            of("cluster.jdbc-url", Type.JDBC_URL, "",
                    "Cluster mode: every instance given the same PostgreSQL URL, schema and camel.main.name keeps its"
                            + " state there, each round and problem check runs on one node, a dead node's round is"
                            + " run again by another, and a notice is sent by one node only. Empty: one process, its"
                            + " state in monitor.state-dir. E.g. jdbc:postgresql://db.internal:5432/monitor; the"
                            + " password goes in CLUSTER_PASSWORD, never in the URL."),
            of("cluster.user", Type.TEXT, "", "The database user."),
            secret("cluster.password", Type.TEXT, "The password of cluster.user."),
            of("cluster.schema", Type.TEXT, "phrase_tm_monitor",
                    "The schema of the monitor's and Quartz's tables, a plain lower-case name; Flyway creates and"
                            + " migrates it."),
            of("cluster.node-name", Type.TEXT, "",
                    "This instance's name in the cluster, different for each; empty: host name and process id."),
            of("cluster.checkin-interval", Type.DURATION, "2s",
                    "How often a node checks in. One that misses its check-in by a second is taken as dead, one"
                            + " frozen for three times this loses its round, one frozen inside a database transaction"
                            + " for five times this (at least 1s) loses that transaction and its locks. Keep the"
                            + " nodes' clocks in sync (NTP)."),
            of("cluster.claim-lease", Type.DURATION, "60s",
                    "A notice claimed by a node that died mid-send is sent by another after this: at most that one"
                            + " notice twice."));

    private static final Map<String, Setting> BY_KEY = ALL.stream()
            .collect(Collectors.toMap(Setting::key, setting -> setting, (a, b) -> a, LinkedHashMap::new));

    private SettingsCatalog() {
    }

    private static Setting of(String key, Type type, String defaultValue, String meaning) {
        return new Setting(key, type, defaultValue, 0, List.of(), false, false, meaning);
    }

    private static Setting count(String key, String defaultValue, long min, String meaning) {
        return new Setting(key, Type.COUNT, defaultValue, min, List.of(), false, false, meaning);
    }

    private static Setting port(String key, String defaultValue, long min, String meaning) {
        return new Setting(key, Type.PORT, defaultValue, min, List.of(), false, false, meaning);
    }

    private static Setting oneOf(String key, String defaultValue, List<String> choices, String meaning) {
        return new Setting(key, Type.ENUM, defaultValue, 0, choices, false, false, meaning);
    }

    /** Secrets have no default: they come from the environment. */
    private static Setting secret(String key, Type type, String meaning) {
        return new Setting(key, type, "", 0, List.of(), true, false, meaning);
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

    /**
     * A key of the monitor's own namespaces that is neither declared nor a named webhook: a typo, most likely. A
     * channel's own setting ({@link #isChannelSetting}) is checked once the channel files are read.
     */
    public static boolean isUnknownOwnKey(String key) {
        return OWN_PREFIXES.stream().anyMatch(key::startsWith) && !BY_KEY.containsKey(key) && !isNamedWebhook(key)
                && !isNamedChannel(key) && !isChannelSetting(key);
    }

    /**
     * {@code alert.<channel>.<parameter>}, where no setting of the catalog starts with {@code alert.<channel>.}: a
     * setting a channel file declares (routes/channel-<name>.camel.yaml), such as alert.pagerduty.routing-key.
     */
    public static boolean isChannelSetting(String key) {
        Matcher matcher = CHANNEL_SETTING.matcher(key);
        return matcher.matches() && BY_KEY.keySet().stream()
                .noneMatch(declared -> declared.startsWith("alert." + matcher.group(1) + "."));
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
