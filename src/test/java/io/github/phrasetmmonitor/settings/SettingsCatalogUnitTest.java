package io.github.phrasetmmonitor.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 4: every setting is declared once (SettingsCatalog), and what ops read agrees with it: the shipped
 * application.properties lists exactly the declared keys, in order, with the declared defaults, and the README's
 * configuration table names exactly the declared keys.
 */
class SettingsCatalogUnitTest {

    /** A key of the monitor's own namespaces (SettingsCatalog.OWN_PREFIXES) in backquotes. */
    private static final Pattern OWN_KEY = Pattern.compile("`((?:" + SettingsCatalog.OWN_PREFIXES.stream()
            .map(prefix -> Pattern.quote(prefix.substring(0, prefix.length() - 1)))
            .collect(java.util.stream.Collectors.joining("|")) + ")\\.[a-z0-9.<>-]+)`");

    /** The uncommented keys of the shipped application.properties in the monitor's namespaces, with their values. */
    private static Map<String, String> shippedProperties() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            if (!line.startsWith("#") && line.contains("=")
                    && SettingsCatalog.OWN_PREFIXES.stream().anyMatch(line::startsWith)) {
                keys.put(line.substring(0, line.indexOf('=')).trim(), line.substring(line.indexOf('=') + 1).trim());
            }
        }
        return keys;
    }

    /** The keys the README's configuration table names in its first column. */
    private static Set<String> readmeTableKeys() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        Set<String> keys = new LinkedHashSet<>();
        for (String line : section.lines().toList()) {
            if (line.startsWith("| `")) {
                String firstColumn = line.substring(1, line.indexOf('|', 1));
                Matcher key = OWN_KEY.matcher(firstColumn);
                while (key.find()) {
                    keys.add(key.group(1));
                }
            }
        }
        return keys;
    }

    @Test
    void applicationPropertiesListsExactlyTheDeclaredKeysWithTheirDefaults() throws Exception {
        Map<String, String> shipped = shippedProperties();
        assertThat(new ArrayList<>(shipped.keySet())).as("the keys, in order").isEqualTo(SettingsCatalog.keys());
        for (SettingsCatalog.Setting setting : SettingsCatalog.ALL) {
            assertThat(shipped.get(setting.key())).as(setting.key()).isEqualTo(setting.defaultValue());
        }
    }

    @Test
    void theReadmeTableNamesExactlyTheDeclaredKeys() throws Exception {
        Set<String> expected = new LinkedHashSet<>(SettingsCatalog.keys());
        expected.add(SettingsCatalog.NAMED_WEBHOOK_PREFIX + "<name>");
        expected.add(SettingsCatalog.NAMED_CHANNEL_PREFIX + "<name>");
        assertThat(readmeTableKeys()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theSummaryAndTheSecretsComeFromTheDeclarations() {
        assertThat(SettingsSummary.KEYS).isEqualTo(SettingsCatalog.keys());
        assertThat(SettingsSummary.SECRETS).containsExactlyInAnyOrder("phrase.api-token", "phrase.password",
                "phrase.platform-token", "alert.slack.webhook-url", "alert.slack.bot-token", "alert.email.password",
                "tls.trust-store-password", "proxy.password", "cluster.password");
        assertThat(SettingsCatalog.ALL).filteredOn(SettingsCatalog.Setting::secret)
                .allSatisfy(secret -> assertThat(secret.defaultValue()).as(secret.key()).isEmpty());
        assertThat(SettingsCatalog.find("alert.slack.webhook-url").orElseThrow().environmentName())
                .isEqualTo("ALERT_SLACK_WEBHOOK_URL");
    }

    @Test
    void aTypoInAKeyIsUnknownAndTheNearestKeyIsNamed() {
        assertThat(SettingsCatalog.isUnknownOwnKey("alert.chanels")).isTrue();
        assertThat(SettingsCatalog.nearest("alert.chanels")).isEqualTo("alert.channels");
        assertThat(SettingsCatalog.isUnknownOwnKey("monitor.problem-treshold")).isTrue();
        assertThat(SettingsCatalog.nearest("monitor.problem-treshold")).isEqualTo("monitor.problem-threshold");
        assertThat(SettingsCatalog.isUnknownOwnKey("alert.channels")).isFalse();
        assertThat(SettingsCatalog.isUnknownOwnKey("alert.slack.webhook-url.legal")).as("a named webhook").isFalse();
        assertThat(SettingsCatalog.isUnknownOwnKey("alert.slack.channel.legal")).as("a named Slack channel").isFalse();
        assertThat(SettingsCatalog.isSecret("alert.slack.channel.legal")).as("a channel id is no secret").isFalse();
        assertThat(SettingsCatalog.isUnknownOwnKey("camel.main.name")).as("not ours").isFalse();
    }

    @Test
    void everyDefaultIsOneTheSettingsAccept() {
        Map<String, String> onlyRequired = Map.of("phrase.api-token", "t", "alert.slack.webhook-url",
                "https://hooks.example/x");
        MonitorSettings settings = MonitorSettings.from(key -> java.util.Optional.ofNullable(onlyRequired.get(key)));
        assertThat(settings.pacing().retryBackoff()).hasMillis(500);
        assertThat(settings.pacing().rateLimitPause()).hasSeconds(60);
        assertThat(settings.maxRequestsPerMinute()).isEqualTo(3000);
        assertThat(settings.cron()).isEqualTo("0 0/5 * * * ?");
    }
}
