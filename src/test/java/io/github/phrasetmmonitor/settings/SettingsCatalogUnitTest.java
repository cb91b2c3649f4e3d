package io.github.phrasetmmonitor.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, item 1: every setting is declared once (SettingsCatalog), and what ops read is written from it: the
 * shipped application.properties and docs/configuration.md are what SettingsReference writes, meanings included; every
 * key the code, the routes or the templates use is declared; every default is one the reading accepts.
 */
class SettingsCatalogUnitTest {

    /** A key of the monitor's own namespaces, not part of a longer dotted name (a package, a host). */
    private static final Pattern OWN_KEY = Pattern.compile("(?<![A-Za-z0-9_.-])((?:" + SettingsCatalog.OWN_PREFIXES
            .stream().map(prefix -> Pattern.quote(prefix.substring(0, prefix.length() - 1)))
            .collect(java.util.stream.Collectors.joining("|")) + ")\\.[a-z][a-z0-9.-]*[a-z0-9.])");

    /** A Java string literal on one line; the keys the code reads are in them. */
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\n]|\\\\.)*)\"");

    /** The monitor's meters are named phrase.monitor.*: not settings. */
    private static final String METER_PREFIX = "phrase.monitor.";

    /** A property placeholder in a route file, {{key}} or {{key:default}}; Mustache's {{#x}} and {{/x}} are not. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9._-]*)(?::[^}]*)?}}");

    /** Placeholders the monitor sets at start-up from a declared setting, in the unit its route's option takes. */
    private static final Set<String> DERIVED = Set.of("problemCheckMillis", "deliveryRetryDelayMillis");

    @Test
    void applicationPropertiesIsWrittenFromTheDeclarations() throws Exception {
        assertThat(Files.readString(SettingsReference.PROPERTIES))
                .as("application.properties differs from the declarations; write it again with SettingsReference")
                .isEqualTo(SettingsReference.propertiesFile());
        Map<String, String> shipped = shippedProperties();
        assertThat(new ArrayList<>(shipped.keySet())).as("the keys, in order").isEqualTo(SettingsCatalog.keys());
        for (Setting setting : SettingsCatalog.ALL) {
            assertThat(shipped.get(setting.key())).as(setting.key()).isEqualTo(setting.defaultValue());
        }
    }

    @Test
    void theConfigurationReferenceIsWrittenFromTheDeclarations() throws Exception {
        assertThat(Files.readString(SettingsReference.REFERENCE))
                .as("docs/configuration.md differs from the declarations; write it again with SettingsReference")
                .isEqualTo(SettingsReference.markdown());
        String reference = Files.readString(SettingsReference.REFERENCE);
        String properties = Files.readString(SettingsReference.PROPERTIES).replaceAll("\\n# ", " ");
        for (Setting setting : SettingsCatalog.ALL) {
            assertThat(reference).as("the reference's row of " + setting.key())
                    .contains("| `" + setting.key() + "` | `" + setting.environmentName() + "` |");
            assertThat(properties).as("application.properties' words on " + setting.key())
                    .contains(setting.meaning() + " " + SettingsReference.typeLine(setting) + "\n"
                            + setting.key() + "=");
        }
    }

    @Test
    void theReadmeLeadsToTheReference() throws Exception {
        assertThat(Files.readString(Path.of("README.md"))).contains("(docs/configuration.md)");
    }

    /** A key used anywhere that is not declared would be read with no default, no check, no documentation. */
    @Test
    void everyKeyTheCodeTheRoutesAndTheTemplatesUseIsDeclared() throws Exception {
        Map<String, String> undeclared = new TreeMap<>();
        for (Path file : files(Path.of("src/main/java"), ".java")) {
            Matcher literal = STRING_LITERAL.matcher(Files.readString(file));
            while (literal.find()) {
                Matcher key = OWN_KEY.matcher(literal.group(1));
                while (key.find()) {
                    String found = key.group(1);
                    if (!declared(found) && !found.startsWith(METER_PREFIX)) {
                        undeclared.put(found, file.toString());
                    }
                }
            }
        }
        List<Path> yaml = new ArrayList<>(files(Path.of("routes"), ".yaml"));
        yaml.addAll(files(Path.of("demo"), ".yaml"));
        yaml.addAll(files(Path.of("templates"), ".yaml"));
        for (Path file : yaml) {
            Matcher placeholder = PLACEHOLDER.matcher(Files.readString(file));
            while (placeholder.find()) {
                String key = placeholder.group(1);
                if (key.startsWith("settings.") && file.startsWith("templates")) {
                    // a channel's template reads its channel's settings: each must be a parameter its file declares
                    String channel = file.getFileName().toString().split("-")[0];
                    Path declaring = Path.of("routes", "engine", "channel-" + channel + ".camel.yaml");
                    String parameter = key.substring("settings.".length());
                    if (!Files.exists(declaring) || !Files.readString(declaring).contains("- name: " + parameter + "\n")) {
                        undeclared.put(key, file.toString());
                    }
                    continue;
                }
                boolean own = SettingsCatalog.OWN_PREFIXES.stream().anyMatch(key::startsWith);
                boolean isSetting = key.contains(".") || DERIVED.contains(key);
                if (own ? !declared(key) : isSetting && !key.startsWith("camel.") && !DERIVED.contains(key)) {
                    undeclared.put(key, file.toString());
                }
            }
        }
        assertThat(undeclared).as("keys used but not declared in SettingsCatalog, with a file using each").isEmpty();
    }

    private static boolean declared(String key) {
        String trimmed = key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
        return SettingsCatalog.find(trimmed).isPresent() || key.equals(SettingsCatalog.NAMED_WEBHOOK_PREFIX)
                || key.equals(SettingsCatalog.NAMED_CHANNEL_PREFIX) || SettingsCatalog.isNamedWebhook(key)
                || SettingsCatalog.isNamedChannel(key);
    }

    private static List<Path> files(Path dir, String suffix) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(path -> path.toString().endsWith(suffix)).sorted().toList();
        }
    }

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

    @Test
    void theSummaryAndTheSecretsComeFromTheDeclarations() {
        assertThat(SettingsSummary.KEYS).isEqualTo(SettingsCatalog.keys());
        assertThat(SettingsSummary.SECRETS).containsExactlyInAnyOrder("phrase.api-token", "phrase.password",
                "phrase.platform-token", "alert.slack.webhook-url", "alert.slack.bot-token", "alert.email.password",
                "tls.trust-store-password", "proxy.password", "cluster.password");
        assertThat(SettingsCatalog.ALL).filteredOn(Setting::secret)
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
        SettingsReader reader = new SettingsReader(key -> java.util.Optional.ofNullable(onlyRequired.get(key)));
        MonitorSettings settings = MonitorSettings.read(reader);
        ClusterSettings.read(reader);
        assertThat(reader.problems()).isEmpty();
        assertThat(reader.warnings()).as("no default is in an old form").isEmpty();
        assertThat(settings.pacing().retryBackoff()).hasMillis(500);
        assertThat(settings.pacing().rateLimitPause()).hasSeconds(60);
        assertThat(settings.alerts().deliveryRetryDelay()).hasSeconds(1);
        assertThat(settings.maxRequestsPerMinute()).isEqualTo(3000);
        assertThat(settings.cron()).isEqualTo("0 0/5 * * * ?");
    }

    @Test
    void everyDeclarationSaysWhatItIs() {
        assertThat(SettingsCatalog.ALL).allSatisfy(setting -> {
            assertThat(setting.meaning()).as(setting.key()).isNotBlank().endsWith(".");
            assertThat(setting.reloadable()).as("%s: settings are read once, at start", setting.key()).isFalse();
            if (setting.type() == Setting.Type.ENUM) {
                assertThat(setting.choices()).as(setting.key()).isNotEmpty();
            }
        });
    }
}
