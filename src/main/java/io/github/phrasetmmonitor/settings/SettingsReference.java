package io.github.phrasetmmonitor.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what ops read about the settings from their declarations ({@link SettingsCatalog}): the shipped
 * application.properties (each key with its meaning, type and default) and docs/configuration.md (the reference
 * table). SettingsReferenceUnitTest fails when a committed file differs from what this writes; to write them again
 * after changing a declaration, run {@code java -cp target/classes io.github.phrasetmmonitor.settings.SettingsReference}
 * from the project directory.
 */
public final class SettingsReference {

    public static final Path PROPERTIES = Path.of("application.properties");
    public static final Path REFERENCE = Path.of("docs", "configuration.md");

    /** Each section: the first parts of its keys, and its title. */
    private record Section(List<String> prefixes, String title) {
    }

    private static final List<Section> SECTIONS = List.of(
            new Section(List.of("phrase."), "Phrase TMS"),
            new Section(List.of("monitor."), "What to watch, and when"),
            new Section(List.of("alert."), "Who is told"),
            new Section(List.of("tls.", "proxy."), "Corporate network"),
            new Section(List.of("cluster."), "Several instances (cluster mode)"));

    private static final int WIDTH = 116;

    /** The settings of Camel itself that the monitor ships, after its own; not declared, as Camel checks them. */
    private static final List<String> CAMEL = List.of(
            "camel.main.name=phrase-tm-monitor",
            "# The flow: YAML routes read from ./routes, next to this file.",
            "camel.main.routes-include-pattern=file:routes/*.camel.yaml",
            "# Mask these in Camel's own logs and summaries too; Camel already masks passwords and tokens. Camel's start-up",
            "# summary masks a setting when the last part of its key (lower case, without dashes) occurs in this list; a named",
            "# webhook's last part is its name, so at start-up the monitor adds a word for every secret key and for each named",
            "# webhook configured (MonitorConfiguration). Words added here are kept.",
            "camel.main.additional-sensitive-keywords=webhookUrl,webhook-url,apiToken,api-token,platformToken,platform-token,authorization",
            "camel.main.log-mask=true",
            "# The monitor prints the settings in force once at start-up, each with where it is set (secrets masked);",
            "# Camel's own summaries of the properties it read would print them a second and third time.",
            "camel.main.auto-configuration-log-summary=false",
            "# One line for the routes started at start-up (and stopped at shutdown) instead of one per route.",
            "camel.main.startup-summary-level=Brief",
            "# On SIGTERM: the TM being checked and an alert being delivered finish, the rest of the round is skipped, and the",
            "# process exits within this many seconds.",
            "camel.main.shutdown-timeout=30",
            "# Management server (monitor.management-port): health checks and Prometheus metrics, nothing else.",
            "camel.management.enabled=true",
            "camel.management.port={{monitor.management-port}}",
            "camel.management.health-check-enabled=true",
            "camel.management.metrics-enabled=true",
            "camel.metrics.enabled=true",
            "# Camel's route meters (camel_exchanges_total, route timings) are set up by the monitor for the routes a message",
            "# enters, not for the inner steps of each Phrase call (metrics/CamelRouteTimings): this setting would watch every route",
            "camel.metrics.enable-route-policy=false",
            "# Camel's own meters: camel_exchanges_total and timings per route. Its exchange event notifier (a timer for every",
            "# call to an endpoint, six per TM check) stays off: it cost a tenth of the CPU per poll and says nothing the route",
            "# timings do not (BENCHMARKS.md).",
            "camel.metrics.enable-exchange-event-notifier=false");

    private SettingsReference() {
    }

    /** Writes application.properties and docs/configuration.md in {@code args[0]} (default: the working directory). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "");
        Files.writeString(dir.resolve(PROPERTIES), propertiesFile());
        Files.createDirectories(dir.resolve(REFERENCE).getParent());
        Files.writeString(dir.resolve(REFERENCE), markdown());
    }

    /** The shipped application.properties. */
    public static String propertiesFile() {
        List<String> lines = new ArrayList<>(List.of(
                "# phrase-tm-monitor settings, each with what it means. Written from the declarations in the code",
                "# (SettingsCatalog); the reference with every key's type, range and variable is docs/configuration.md.",
                "#",
                "# Every key can also be set by an environment variable: upper case, dots and dashes become underscores",
                "# (phrase.base-url <- PHRASE_BASE_URL). The environment wins over this file. Secrets belong in the",
                "# environment only: leave them empty here. Durations are written 500ms, 10s, 2m, 1h or 1d."));
        for (Section section : SECTIONS) {
            lines.add("");
            lines.add(heading(section.title()));
            for (Setting setting : settingsOf(section)) {
                lines.add("");
                wrap(setting.meaning(), "# ").forEach(lines::add);
                lines.add("# " + typeLine(setting));
                lines.add(setting.key() + "=" + setting.defaultValue());
            }
        }
        lines.add("");
        lines.add(heading("Camel"));
        lines.addAll(CAMEL);
        return String.join("\n", lines) + "\n";
    }

    /** docs/configuration.md. */
    public static String markdown() {
        List<String> lines = new ArrayList<>(List.of(
                "# Configuration reference",
                "",
                "Every setting of the monitor, written from its declaration in the code (`SettingsCatalog`), like the",
                "comments in `application.properties`; a test fails when either file differs from the declarations.",
                "",
                "Every key can also be set by an environment variable: upper case, with dots and dashes turned into",
                "underscores (`phrase.base-url` <- `PHRASE_BASE_URL`). The environment wins over the files; a profile's",
                "file (`--profile demo`: `application-demo.properties`) wins over `application.properties`. Secrets",
                "belong in the environment. Durations are written `500ms`, `10s`, `2m`, `1h` or `1d`; a bare number is",
                "the old form, read as milliseconds with a warning that names the new one. No setting changes without",
                "a restart yet (column *change*).",
                "",
                "At start-up the monitor prints each setting once with the value in force and where it is set (a file",
                "and line, an environment variable, or the default); secrets show only `****** (set)` or `(not set)`.",
                "Every problem with the settings is reported at once, each with its key and where it is set, by",
                "start-up and by `validate` alike. A key under `phrase.`, `monitor.`, `alert.`, `tls.`, `proxy.` or",
                "`cluster.` that is not declared is one of them, named with the nearest key, since a typo in a key",
                "would otherwise leave the default in force."));
        for (Section section : SECTIONS) {
            lines.add("");
            lines.add("## " + section.title());
            lines.add("");
            lines.add("| key | environment variable | type | default | secret | change | meaning |");
            lines.add("|---|---|---|---|---|---|---|");
            for (Setting setting : settingsOf(section)) {
                lines.add("| `" + setting.key() + "` | `" + setting.environmentName() + "` | " + typeCell(setting)
                        + " | " + (setting.defaultValue().isEmpty() ? "" : "`" + setting.defaultValue() + "`")
                        + " | " + (setting.secret() ? "secret" : "") + " | "
                        + (setting.reloadable() ? "live" : "restart") + " | " + cell(setting.meaning()) + " |");
            }
        }
        lines.addAll(List.of(
                "",
                "## Named webhooks and channels",
                "",
                "A routing rule that sets `slackWebhook` to `<name>` posts to `" + SettingsCatalog.NAMED_WEBHOOK_PREFIX
                        + "<name>` (env `ALERT_SLACK_WEBHOOK_URL_<NAME>`), any name, a secret like the default webhook;",
                "in Slack app mode, to the channel id in `" + SettingsCatalog.NAMED_CHANNEL_PREFIX
                        + "<name>` (env `ALERT_SLACK_CHANNEL_<NAME>`), not a secret.",
                "",
                "## Camel's own settings",
                "",
                "`application.properties` also holds the settings of Camel that the monitor ships (after its own);",
                "among them `camel.main.shutdown-timeout` (`30`, seconds): on SIGTERM, how long the TM being checked",
                "and a delivery in progress may take before the process exits anyway."));
        return String.join("\n", lines) + "\n";
    }

    private static List<Setting> settingsOf(Section section) {
        return SettingsCatalog.ALL.stream()
                .filter(setting -> section.prefixes().stream().anyMatch(setting.key()::startsWith)).toList();
    }

    private static String heading(String title) {
        String start = "# --- " + title + " ";
        return start + "-".repeat(Math.max(3, WIDTH - start.length()));
    }

    /** The type with its unit or range, and where a secret goes, e.g. "Type: whole number, at least 1". */
    static String typeLine(Setting setting) {
        StringBuilder line = new StringBuilder("Type: ").append(typeText(setting));
        if (setting.secret()) {
            line.append("; secret: set it in the environment as ").append(setting.environmentName());
        }
        return line.toString();
    }

    private static String typeText(Setting setting) {
        Setting.Type type = setting.type();
        StringBuilder text = new StringBuilder(type.words());
        if (type == Setting.Type.ENUM) {
            return text.append(" ").append(setting.range()).toString();
        }
        if (!type.unit().isEmpty()) {
            text.append(" (").append(type.unit()).append(")");
        }
        if (!setting.range().isEmpty()) {
            text.append(", ").append(setting.range());
        }
        return text.toString();
    }

    private static String typeCell(Setting setting) {
        return cell(typeText(setting));
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The words of {@code text} on lines of at most {@link #WIDTH} characters, each starting with {@code prefix}. */
    static List<String> wrap(String text, String prefix) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (line.length() > prefix.length() && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(prefix);
            }
            if (line.length() > prefix.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
