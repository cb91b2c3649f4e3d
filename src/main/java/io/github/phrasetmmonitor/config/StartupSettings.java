package io.github.phrasetmmonitor.config;

import io.github.phrasetmmonitor.alert.AlertTemplates;
import io.github.phrasetmmonitor.settings.ClusterSettings;
import io.github.phrasetmmonitor.settings.InvalidSettingsException;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import io.github.phrasetmmonitor.settings.SettingsCatalog;
import io.github.phrasetmmonitor.settings.SettingsOrigins;
import io.github.phrasetmmonitor.settings.SettingsReader;
import io.github.phrasetmmonitor.settings.SettingsSource;
import io.github.phrasetmmonitor.settings.SettingsSummary;
import io.github.phrasetmmonitor.settings.SilenceSettings;
import io.github.phrasetmmonitor.silence.InvalidSilencesException;
import io.github.phrasetmmonitor.silence.MaintenanceWindow;
import io.github.phrasetmmonitor.silence.SilencesFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings at start-up, read once: every problem found in one pass and reported at once, each where it is set
 * (the start stops), else the settings in force printed once, with where each is set, and the warnings about old
 * forms. The templates are read here too, as alert.templates-dir's check.
 */
final class StartupSettings {

    private static final Logger LOG = LoggerFactory.getLogger(StartupSettings.class);

    /** What the start goes on with. */
    record Read(MonitorSettings settings, Optional<ClusterSettings> cluster, AlertTemplates templates, String idmUrl,
                SilenceSettings silences, List<MaintenanceWindow> windows) {
    }

    private StartupSettings() {
    }

    /** {@code pinned} settings win over every other source (see {@link MonitorConfiguration}). */
    static Read read(CamelContext context, Map<String, String> pinned) {
        SettingsSource source = key -> pinned.containsKey(key) ? Optional.of(pinned.get(key))
                : context.getPropertiesComponent().resolveProperty(key);
        List<String> namedWebhooks = SettingsSummary.namedWebhookKeys(namedWebhookProperties(context),
                System.getenv().keySet());
        maskSecretsInCamelSummary(context, namedWebhooks);
        SettingsOrigins origins = origins(context, pinned);
        SettingsReader reader = new SettingsReader(source);
        unknownKeys(context).forEach(key -> reader.problem("'" + key + "' is not a setting (did you mean "
                + SettingsCatalog.nearest(key) + "?); the settings are listed in docs/configuration.md", key));
        MonitorSettings settings = MonitorSettings.read(reader);
        Optional<ClusterSettings> cluster = ClusterSettings.read(reader);
        AlertTemplates templates = null;
        try {
            templates = templates(settings.templatesDir());
        } catch (InvalidSettingsException e) {
            // a template's problem names its own file and line, or alert.templates-dir
            reader.problem(e.getMessage());
        }
        SilenceSettings silences = SilenceSettings.read(reader);
        List<MaintenanceWindow> windows = List.of();
        try {
            windows = SilencesFile.read(silences.file());
        } catch (InvalidSilencesException e) {
            // each names the silences file and its line, as a template's problem does
            e.problems().forEach(reader::problem);
        }
        reader.requireNoProblems(origins);
        LOG.info("phrase-tm-monitor {} settings in force (secrets masked; where each is set):",
                MonitorVersion.current());
        SettingsSummary.lines(source, namedWebhooks, origins).forEach(LOG::info);
        reader.warnings().forEach(LOG::warn);
        if (!windows.isEmpty()) {
            LOG.info("{} maintenance window(s) from {}", windows.size(), silences.file());
        }
        return new Read(settings, cluster, templates, MonitorSettings.idmUrl(source), silences, windows);
    }

    /**
     * Camel can print, once the routes have started, every property that was looked up with its value, masking a
     * value only when the key's last part is a sensitive word. The shipped settings turn that summary off
     * (camel.main.auto-configuration-log-summary=false: the monitor prints the settings once itself), but ops may turn
     * it on again; our summary looks up each named webhook, whose last part is its name, which
     * camel.main.additional-sensitive-keywords cannot list in advance. So Camel is told the words for our secrets,
     * named webhooks included, and masks them whenever it prints them.
     */
    private static void maskSecretsInCamelSummary(CamelContext context, List<String> namedWebhooks) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        Set<String> words = new LinkedHashSet<>();
        String configured = extension.getAdditionalSensitiveKeywords();
        if (configured != null) {
            Arrays.stream(configured.split(",")).map(String::trim).filter(word -> !word.isEmpty()).forEach(words::add);
        }
        words.addAll(SettingsSummary.camelSensitiveKeywords(namedWebhooks));
        extension.setAdditionalSensitiveKeywords(String.join(",", words));
    }

    /**
     * The keys of the monitor's own namespaces (phrase., monitor., alert., tls., proxy., cluster.) in the properties
     * files, overrides or JVM system properties that are not declared in {@link SettingsCatalog}: each is a typo that
     * would silently leave its default in force ({@code alert.chanels=email}).
     */
    private static Set<String> unknownKeys(CamelContext context) {
        Set<String> keys = new TreeSet<>(context.getPropertiesComponent()
                .loadProperties(SettingsCatalog::isUnknownOwnKey).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(SettingsCatalog::isUnknownOwnKey)
                .forEach(keys::add);
        return keys;
    }

    /**
     * Where each setting comes from: the properties files Camel reads (the profile's first), the environment, or a
     * value pinned or overridden in the code.
     */
    private static SettingsOrigins origins(CamelContext context, Map<String, String> pinned) {
        List<SettingsOrigins.File> files = new ArrayList<>();
        for (String location : context.getPropertiesComponent().getLocations()) {
            String path = location.replaceFirst("^optional:", "");
            if (path.startsWith("file:")) {
                Path file = Path.of(path.substring("file:".length()));
                files.add(new SettingsOrigins.File(file.getFileName().toString(), file));
            }
        }
        Properties overrides = ((org.apache.camel.component.properties.PropertiesComponent) context
                .getPropertiesComponent()).getOverrideProperties();
        return new SettingsOrigins(files, key -> pinned.containsKey(key) || System.getProperty(key) != null
                || overrides != null && overrides.containsKey(key), System::getenv);
    }

    /**
     * Keys starting alert.slack.webhook-url. in the properties files, overrides and JVM system properties; the
     * environment's ALERT_SLACK_WEBHOOK_URL_* are added by {@link SettingsSummary#namedWebhookKeys}. Loading the
     * keys looks nothing up, so Camel does not record these values here.
     */
    private static Set<String> namedWebhookProperties(CamelContext context) {
        Set<String> keys = new TreeSet<>(context.getPropertiesComponent()
                .loadProperties(key -> key.startsWith(SettingsSummary.NAMED_WEBHOOK_PREFIX)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith(SettingsSummary.NAMED_WEBHOOK_PREFIX)).forEach(keys::add);
        return keys;
    }

    /** The alert wording from alert.templates-dir (default templates/, next to routes/), checked now. */
    private static AlertTemplates templates(Path dir) {
        try {
            return AlertTemplates.load(dir);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }
}
