package io.github.phrasetmmonitor.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.MainHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MonitorSettingsUnitTest {

    private static final String WEBHOOK = "https://hooks.slack.com/services/T000/B000/SECRET123";

    private static final Map<String, String> MINIMAL = Map.of(
            "phrase.api-token", "token-1",
            "monitor.tm-uids", "uid-a, uid-b,,uid-a",
            "monitor.cron", "0 0/5 * * * ?",
            "alert.channels", "slack",
            "alert.slack.webhook-url", WEBHOOK);

    /** MINIMAL with the given changes; an empty value counts as unset. */
    private static MonitorSettings settings(Map<String, String> changes) {
        Map<String, String> values = new HashMap<>(MINIMAL);
        values.putAll(changes);
        return MonitorSettings.from(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void reloadOnChangeTakesTrueOrFalseAndNothingElse() {
        settings(Map.of("monitor.reload-on-change", "true"));
        assertThatThrownBy(() -> settings(Map.of("monitor.reload-on-change", "yes")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("monitor.reload-on-change 'yes' is neither true nor false");
    }

    @Test
    void minimalConfigurationIsValid() {
        MonitorSettings settings = settings(Map.of());

        assertThat(settings.credentials()).isEqualTo(new PhraseCredentials.ApiToken("token-1"));
        assertThat(settings.tmUids()).containsExactly("uid-a", "uid-b");
        assertThat(settings.baseUrl()).isEqualTo(MonitorSettings.DEFAULT_BASE_URL);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.limits().emailTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.failedStatuses()).containsExactly("ERROR", "FAILED", "FAILURE");
        assertThat(settings.stateDir()).isEqualTo(Path.of("./data"));
        assertThat(settings.channels().isEnabled("slack")).isTrue();
        assertThat(settings.channels().isEnabled("email")).isFalse();
    }

    @Test
    void aBotTokenIsSlackAppModeWhichNeedsAChannelAndNoWebhook() {
        MonitorSettings app = settings(Map.of("alert.slack.webhook-url", "", "alert.slack.bot-token", "xoxb-1-2-abc",
                "alert.slack.channel", " C0ALERTS "));
        assertThat(app.slackApp()).hasValueSatisfying(slack -> {
            assertThat(slack.botToken()).isEqualTo("xoxb-1-2-abc");
            assertThat(slack.channel()).isEqualTo("C0ALERTS");
            assertThat(slack.apiUrl()).hasToString("https://slack.com/api");
            assertThat(slack.toString()).doesNotContain("xoxb-1-2-abc");
        });
        assertThat(settings(Map.of()).slackApp()).as("webhooks, as before").isEmpty();
        assertThat(settings(Map.of("alert.slack.bot-token", "xoxb-1-2-abc", "alert.slack.channel", "C0ALERTS",
                "alert.slack.api-url", "http://127.0.0.1:9/api")).slackApp().orElseThrow().apiUrl())
                .hasToString("http://127.0.0.1:9/api");

        assertThatThrownBy(() -> settings(Map.of("alert.slack.bot-token", "xoxb-1-2-abc")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("alert.slack.channel is not set").hasMessageContaining("ALERT_SLACK_CHANNEL");
        assertThatThrownBy(() -> settings(Map.of("alert.slack.bot-token", "xoxb-1-2 abc", "alert.slack.channel", "C1")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("alert.slack.bot-token")
                .message().doesNotContain("xoxb-1-2");
        assertThatThrownBy(() -> settings(Map.of("alert.slack.bot-token", "xoxb-1", "alert.slack.channel", "C1",
                "alert.slack.api-url", "slack.com/api")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("alert.slack.api-url");
    }

    @Test
    void alertPolicyDefaultsAndValues() {
        MonitorSettings.AlertPolicy defaults = settings(Map.of()).alerts();
        assertThat(defaults).isEqualTo(new MonitorSettings.AlertPolicy(true, Duration.ZERO, 5, Optional.empty(), 2,
                Duration.ofSeconds(1)));

        MonitorSettings settings = settings(Map.of("alert.send-resolved", "false", "alert.repeat-interval", "24h",
                "alert.digest-threshold", "8", "alert.fallback-channel", "EMAIL", "alert.email.to", "ops@example.com",
                "alert.email.from", "m@example.com", "alert.email.smtp-host", "smtp.example.com",
                "alert.delivery.retry-delay", "1500"));
        assertThat(settings.alerts()).as("the old form of alert.delivery.retry-delay, milliseconds, is still read")
                .isEqualTo(new MonitorSettings.AlertPolicy(false, Duration.ofHours(24), 8, Optional.of("email"), 2,
                        Duration.ofMillis(1500)));
        assertThat(settings.configuredChannels()).containsExactlyInAnyOrder("slack", "email");
        assertThat(settings(Map.of("alert.repeat-interval", "0")).alerts().repeatInterval()).isZero();
    }

    /** Issue 12, item 4: stuck tasks are off unless monitor.stuck-after is set. */
    @Test
    void stuckAfterIsOffByDefaultAndTakesADuration() {
        assertThat(settings(Map.of()).stuckAfter()).isZero();
        assertThat(settings(Map.of("monitor.stuck-after", "0")).stuckAfter()).isZero();
        assertThat(settings(Map.of("monitor.stuck-after", "2h")).stuckAfter()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void theLimitsHaveDefaultsAndTakeSizesAndDurations() {
        assertThat(settings(Map.of()).limits()).isEqualTo(new MonitorSettings.Limits(2L << 20, Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofSeconds(10)));

        MonitorSettings settings = settings(Map.of("monitor.max-answer-size", "512KB", "phrase.check-timeout", "2m",
                "alert.slack.timeout", "3s"));
        assertThat(settings.limits().maxAnswerBytes()).isEqualTo(512L * 1024);
        assertThat(settings.limits().checkTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.limits().slackTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> settings(Map.of("monitor.max-answer-size", "2 parsecs")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("monitor.max-answer-size '2 parsecs' is not a size of at least 1KB such as 2MB or 512KB");
        assertThatThrownBy(() -> settings(Map.of("monitor.max-answer-size", "100")))
                .isInstanceOf(InvalidSettingsException.class);
    }

    @Test
    void theEmailTimeoutIsADurationOfItsOwn() {
        MonitorSettings settings = settings(Map.of("alert.email.timeout", "2500ms", "phrase.read-timeout", "1m"));

        assertThat(settings.limits().emailTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theWaitAfterRefusedCredentialsIsCappedAtFifteenMinutesUnlessSetOtherwise() {
        assertThat(settings(Map.of()).refusedLoginBackoffMax()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings(Map.of("phrase.refused-login-backoff-max", "1h")).refusedLoginBackoffMax())
                .isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> settings(Map.of("phrase.refused-login-backoff-max", "0")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("phrase.refused-login-backoff-max '0' is not a positive duration such as 10s or 2m");
    }

    @Test
    void usernameAndPasswordSignIn() {
        MonitorSettings settings = settings(Map.of("phrase.api-token", "", "phrase.username", "pm",
                "phrase.password", "pw"));

        assertThat(settings.credentials()).isEqualTo(new PhraseCredentials.UserLogin("pm", "pw"));
    }

    @Test
    void platformTokenSignInUsesTheRegionsIdmAndBaseUrl() {
        MonitorSettings settings = settings(Map.of("phrase.api-token", "", "phrase.platform-token", "pt-1",
                "phrase.region", "us"));

        assertThat(settings.credentials()).isEqualTo(
                new PhraseCredentials.PlatformToken("pt-1", "https://us.phrase.com/idm/oauth/token"));
        assertThat(settings.baseUrl()).isEqualTo("https://us.cloud.memsource.com/web");
    }

    @Test
    void anExplicitBaseUrlWinsOverTheRegion() {
        MonitorSettings settings = settings(Map.of("phrase.region", "us", "phrase.base-url", "http://127.0.0.1:1/web"));

        assertThat(settings.baseUrl()).isEqualTo("http://127.0.0.1:1/web");
    }

    @Test
    void emptyTmUidsMeanWatchEveryTmOfTheAccount() {
        MonitorSettings settings = settings(Map.of("monitor.tm-uids", " , ", "monitor.tm-exclude-uids", "x, y",
                "monitor.tm-name-filter", "Legal"));

        assertThat(settings.tmUids()).isEmpty();
        assertThat(settings.tmExcludeUids()).containsExactly("x", "y");
        assertThat(settings.tmNameFilter()).isEqualTo("Legal");
        assertThat(settings.maxRequestsPerMinute()).isEqualTo(3000);
        assertThat(settings.maxConcurrentRequests()).isEqualTo(4);
    }

    static Stream<Arguments> invalid() {
        Map<String, String> emailWithoutTo = Map.of("alert.channels", "email", "alert.email.from", "m@example.com",
                "alert.email.smtp-host", "smtp.example.com");
        return Stream.of(
                Arguments.of("no credentials", Map.of("phrase.api-token", " "), List.of("phrase.api-token")),
                Arguments.of("token and username", Map.of("phrase.username", "pm"),
                        List.of("phrase.api-token", "phrase.username")),
                Arguments.of("username without password", Map.of("phrase.api-token", "", "phrase.username", "pm"),
                        List.of("phrase.password")),
                Arguments.of("platform token and api token", Map.of("phrase.platform-token", "pt"),
                        List.of("phrase.api-token", "phrase.platform-token")),
                Arguments.of("unknown region", Map.of("phrase.region", "apac"), List.of("phrase.region")),
                Arguments.of("zero budget", Map.of("phrase.max-requests-per-minute", "0"),
                        List.of("phrase.max-requests-per-minute")),
                Arguments.of("concurrency not a number", Map.of("phrase.max-concurrent-requests", "four"),
                        List.of("phrase.max-concurrent-requests")),
                Arguments.of("invalid cron", Map.of("monitor.cron", "every 5 minutes"), List.of("monitor.cron")),
                // which channels exist is known once routes/ is read (ChannelRoutes); here only the form of a name
                Arguments.of("not a channel name", Map.of("alert.channels", "slack,sms gateway"),
                        List.of("alert.channels", "sms gateway", "not a channel name")),
                Arguments.of("slack without webhook", Map.of("alert.slack.webhook-url", ""),
                        List.of("alert.slack.webhook-url")),
                Arguments.of("email without to", emailWithoutTo, List.of("alert.email.to")),
                Arguments.of("bad timeout", Map.of("phrase.read-timeout", "soon"), List.of("phrase.read-timeout")),
                Arguments.of("zero email timeout", Map.of("alert.email.timeout", "0s"),
                        List.of("alert.email.timeout")),
                Arguments.of("fallback not a channel name", Map.of("alert.fallback-channel", "pager/duty"),
                        List.of("alert.fallback-channel", "pager/duty", "not a channel name")),
                Arguments.of("email fallback without email settings", Map.of("alert.fallback-channel", "email"),
                        List.of("alert.email.to", "alert.fallback-channel")),
                Arguments.of("digest threshold 0", Map.of("alert.digest-threshold", "0"),
                        List.of("alert.digest-threshold")),
                Arguments.of("bad repeat interval", Map.of("alert.repeat-interval", "daily"),
                        List.of("alert.repeat-interval")),
                Arguments.of("send-resolved not a boolean", Map.of("alert.send-resolved", "yes"),
                        List.of("alert.send-resolved")),
                Arguments.of("negative retries", Map.of("alert.delivery.retries", "-1"),
                        List.of("alert.delivery.retries")),
                Arguments.of("bad stale-after", Map.of("monitor.stale-after", "0s"), List.of("monitor.stale-after")),
                Arguments.of("bad stuck-after", Map.of("monitor.stuck-after", "a while"),
                        List.of("monitor.stuck-after", "a while")),
                Arguments.of("problem threshold 0", Map.of("monitor.problem-threshold", "0"),
                        List.of("monitor.problem-threshold")),
                Arguments.of("problem threshold not a number", Map.of("monitor.problem-threshold", "three"),
                        List.of("monitor.problem-threshold", "three")),
                Arguments.of("bad problem check interval", Map.of("monitor.problem-check-interval", "soon"),
                        List.of("monitor.problem-check-interval")),
                Arguments.of("bad management port", Map.of("monitor.management-port", "99999"),
                        List.of("monitor.management-port")),
                Arguments.of("missing trust store", Map.of("tls.trust-store", "/no/such/store.p12"),
                        List.of("tls.trust-store")),
                Arguments.of("bad proxy port", Map.of("proxy.host", "proxy.corp", "proxy.port", "x"),
                        List.of("proxy.port")),
                Arguments.of("proxy user without password", Map.of("proxy.host", "proxy.corp", "proxy.username", "u"),
                        List.of("proxy.username", "proxy.password")),
                Arguments.of("proxy login without host", Map.of("proxy.username", "u", "proxy.password", "p"),
                        List.of("proxy.host")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidSettingsNameTheKey(String problem, Map<String, String> changes, List<String> keys) {
        assertThatThrownBy(() -> settings(changes))
                .isInstanceOf(InvalidSettingsException.class)
                .message().contains(keys);
    }

    @Test
    void newKeysHaveTheirDefaults() {
        MonitorSettings settings = settings(Map.of());

        assertThat(settings.managementPort()).isEqualTo(9876);
        assertThat(settings.staleAfter()).isEmpty();
        assertThat(settings.network()).isEqualTo(NetworkSettings.direct());
        assertThat(settings.problemThreshold()).isEqualTo(3);
        assertThat(settings.problemCheckInterval()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void problemSettingsAreRead() {
        MonitorSettings settings = settings(Map.of("monitor.problem-threshold", "5",
                "monitor.problem-check-interval", "2m"));

        assertThat(settings.problemThreshold()).isEqualTo(5);
        assertThat(settings.problemCheckInterval()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void proxyAndStaleAfterAreRead() {
        MonitorSettings settings = settings(Map.of("monitor.stale-after", "15m", "proxy.host", "proxy.corp",
                "proxy.port", "3128", "proxy.username", "svc", "proxy.password", "proxy-secret",
                "proxy.non-proxy-hosts", "localhost, *.corp.example"));

        assertThat(settings.staleAfter()).contains(Duration.ofMinutes(15));
        NetworkSettings.Proxy proxy = settings.network().proxy().orElseThrow();
        assertThat(proxy).isEqualTo(new NetworkSettings.Proxy("proxy.corp", 3128, "svc", "proxy-secret",
                List.of("localhost", "*.corp.example")));
        assertThat(settings.toString()).doesNotContain("proxy-secret", "SECRET123", "token-1");
    }

    @Test
    void aTrustStoreWithTheWrongPasswordIsNamedWithoutThePassword(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path store = dir.resolve("trust.p12");
        java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        try (var out = java.nio.file.Files.newOutputStream(store)) {
            keyStore.store(out, "right-password".toCharArray());
        }

        assertThatThrownBy(() -> settings(Map.of("tls.trust-store", store.toString(),
                "tls.trust-store-password", "wrong-password")))
                .isInstanceOf(InvalidSettingsException.class)
                .message().contains("tls.trust-store", store.toString()).doesNotContain("wrong-password");
    }

    @Test
    void theSummaryListsEveryKeyOfApplicationPropertiesAndMasksSecrets() throws Exception {
        java.util.Properties file = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(in);
        }
        List<String> monitorKeys = file.stringPropertyNames().stream().filter(key -> !key.startsWith("camel."))
                .filter(key -> !key.startsWith(SettingsSummary.NAMED_WEBHOOK_PREFIX)).toList();
        assertThat(SettingsSummary.KEYS).containsExactlyInAnyOrderElementsOf(monitorKeys);

        Map<String, String> values = new HashMap<>(MINIMAL);
        values.put("proxy.password", "proxy-secret");
        values.put("alert.slack.webhook-url.platform-team", "https://hooks.example/T1/B1/team-secret");
        SettingsOrigins origins = new SettingsOrigins(List.of(), key -> !key.equals("proxy.password")
                && values.containsKey(key), name -> name.equals("PROXY_PASSWORD") ? "proxy-secret" : null);
        List<String> lines = SettingsSummary.lines(key -> Optional.ofNullable(values.get(key)),
                List.of("alert.slack.webhook-url.legal", "alert.slack.webhook-url.platform-team"), origins);
        assertThat(lines).as("each setting not at its default once, with where it is set")
                .contains("    monitor.tm-uids = uid-a, uid-b,,uid-a  (override)",
                        "    phrase.api-token = ****** (set)  (override)",
                        "    proxy.password = ****** (set)  (env PROXY_PASSWORD)",
                        "    alert.slack.webhook-url.platform-team = ****** (set)  (override)")
                .noneMatch(line -> line.contains("phrase.password") || line.contains("webhook-url.legal"))
                .last().isEqualTo("    and " + (SettingsSummary.KEYS.size() + 2 - (lines.size() - 1))
                        + " more at their defaults (docs/configuration.md)");
        assertThat(lines.indexOf("    alert.slack.webhook-url.platform-team = ****** (set)  (override)"))
                .as("named webhooks follow the default one")
                .isEqualTo(lines.indexOf("    alert.slack.webhook-url = ****** (set)  (override)") + 1);
        assertThat(String.join("\n", lines)).doesNotContain("token-1", "SECRET123", "proxy-secret", "team-secret");
    }

    @Test
    void everyNamedWebhookIsASecretWhateverItsName() {
        assertThat(SettingsSummary.isSecret("alert.slack.webhook-url.legal")).isTrue();
        assertThat(SettingsSummary.isSecret("alert.slack.webhook-url.Platform_Team")).isTrue();
        assertThat(SettingsSummary.isSecret("alert.slack.webhook-url")).isTrue();
        assertThat(SettingsSummary.isSecret("alert.slack.webhook-urls")).isFalse();
        assertThat(SettingsSummary.isSecret("alert.email.to")).isFalse();
    }

    @Test
    void namedWebhooksAreFoundInThePropertiesAndTheEnvironment() {
        List<String> keys = SettingsSummary.namedWebhookKeys(
                List.of("alert.slack.webhook-url.legal", "alert.slack.webhook-url", "alert.slack.webhook-url.",
                        "alert.email.to"),
                List.of("ALERT_SLACK_WEBHOOK_URL_LEGAL", "ALERT_SLACK_WEBHOOK_URL_PLATFORM_TEAM",
                        "ALERT_SLACK_WEBHOOK_URL", "ALERT_SLACK_WEBHOOK_URL_", "PATH"));
        assertThat(keys).as("the variable for legal is that key's, not another webhook")
                .containsExactly("alert.slack.webhook-url.legal", "alert.slack.webhook-url.platform-team");
    }

    /** Asks camel-main's own rule (the one its start-up summary uses), so a Camel upgrade that changes it shows here. */
    @Test
    void camelsStartUpSummaryMasksEverySecretKeyAndNamedWebhook() throws Exception {
        java.util.Properties file = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(in);
        }
        String shipped = file.getProperty("camel.main.additional-sensitive-keywords");
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().setAdditionalSensitiveKeywords(shipped);
            assertThat(MainHelper.containsSensitive(camel, "alert.slack.webhook-url.legal", "https://hooks.example"))
                    .as("the shipped keywords alone miss a named webhook: the bug this guards against").isFalse();

            camel.getCamelContextExtension().setAdditionalSensitiveKeywords(shipped + "," + String.join(",",
                    SettingsSummary.camelSensitiveKeywords(List.of("alert.slack.webhook-url.legal",
                            "alert.slack.webhook-url.platform-team", "alert.slack.webhook-url.Ops_Room"))));
            List<String> keys = new ArrayList<>(SettingsSummary.SECRETS);
            // the spellings a routing rule may use for the same environment variable
            keys.addAll(List.of("alert.slack.webhook-url.legal", "alert.slack.webhook-url.platform-team",
                    "alert.slack.webhook-url.platform_team", "alert.slack.webhook-url.platformTeam",
                    "alert.slack.webhook-url.ops-room", "alert.slack.webhook-url.ops_room"));
            for (String key : keys) {
                assertThat(MainHelper.containsSensitive(camel, key, "https://hooks.example")).as(key).isTrue();
            }
        }
    }

    @Test
    void badWebhookUrlIsReportedWithoutTheUrl() {
        for (String url : List.of("hooks.slack.com/services/T000/B000/SECRET123",
                "ftp://hooks.slack.com/services/SECRET123", "https://hooks slack com/SECRET123")) {
            assertThatThrownBy(() -> settings(Map.of("alert.slack.webhook-url", url)))
                    .isInstanceOf(InvalidSettingsException.class)
                    .message().contains("alert.slack.webhook-url").doesNotContain("SECRET123").doesNotContain(url);
        }
    }
}
