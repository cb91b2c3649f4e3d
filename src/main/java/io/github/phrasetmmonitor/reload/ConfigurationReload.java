package io.github.phrasetmmonitor.reload;

import io.github.phrasetmmonitor.alert.AlertPlanner;
import io.github.phrasetmmonitor.alert.AlertTemplates;
import io.github.phrasetmmonitor.classify.TaskClassifier;
import io.github.phrasetmmonitor.config.ChannelRoutes;
import io.github.phrasetmmonitor.config.ConfigurationFiles;
import io.github.phrasetmmonitor.config.EngineRoutes;
import io.github.phrasetmmonitor.logging.StartupFailure;
import io.github.phrasetmmonitor.metrics.MonitorMetrics;
import io.github.phrasetmmonitor.phrase.WatchList;
import io.github.phrasetmmonitor.poll.PollingRounds;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import io.github.phrasetmmonitor.settings.SettingsCatalog;
import io.github.phrasetmmonitor.silence.Silences;
import io.github.phrasetmmonitor.silence.SilencesFile;
import io.github.phrasetmmonitor.tools.ConfigurationCheck;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceAware;
import org.apache.camel.spi.RouteTemplateParameterSource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reload of ops' configuration in the running monitor, without a restart. The new files are first checked as a
 * whole by the checks of {@code validate} ({@link ConfigurationCheck}); any problem refuses the reload, one line each
 * naming the file (and line) or the key, and nothing of it is applied. A valid configuration is applied between
 * polling rounds ({@link PollingRounds#betweenRounds}): the properties are read again, the templates and the
 * maintenance windows (the silences file) swapped, ops' route files (routing rules, own rules, own channels) removed and loaded again with Camel's own API, and the
 * channels' routes made again from their templates. The incident state is not touched: open incidents keep the
 * routing recorded with them, and what was sent stays sent.
 *
 * <p>What the start built into its beans (the state directory, the cluster database, the management port, the cron,
 * the channels, ... the settings of {@link SettingsCatalog}) is not changed by a reload: such a setting keeps its
 * value from the start, for the routes' {@code {{...}}} too, and is named in one line as needing a restart. Read at
 * use, and so applied: the named Slack webhooks and channels, and the settings of channels declared in routes/.
 * Handed to the beans that hold them ({@link #APPLIED_LIVE}): the watched TMs, the failed statuses, the reminder
 * interval and the digest threshold.
 */
public final class ConfigurationReload {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.reload");
    /** How long a reload waits, beyond phrase.check-timeout, for the round under way to end. */
    private static final Duration ROUND_END_MARGIN = Duration.ofSeconds(30);

    /** What a reload did. */
    public record Outcome(boolean applied, List<String> problems, List<String> needRestart, String hash) {
    }

    private final CamelContext context;
    private final Path dir;
    private final Optional<String> profile;
    private final Map<String, String> overrides;
    private final Clock clock;
    /** Each setting as the start resolved it: what the beans were built with. */
    private final Map<String, Optional<String>> atStart;
    /**
     * Each key as the properties files said it at start: a change of a file's value that an environment variable or
     * an override hides (phrase.base-url, which the start overrides by the region's) is named too.
     */
    private final Map<String, String> filesAtStart;
    /** Settings this reloader holds at their start value (override properties of its own); guarded by this. */
    private final Set<String> held = new TreeSet<>();
    /** The digest of the files in force; guarded by this. */
    private String inForce;

    public ConfigurationReload(CamelContext context, Path dir, Optional<String> profile, Map<String, String> overrides,
                               Clock clock) {
        this.context = context;
        this.dir = dir;
        this.profile = profile;
        this.overrides = Map.copyOf(overrides);
        this.clock = clock;
        this.atStart = resolved(keys());
        this.filesAtStart = fileValues();
        this.inForce = files().hash();
    }

    /** The digest of ops' files in force. */
    public synchronized String inForce() {
        return inForce;
    }

    /** Whether ops' files differ from those in force (a watcher's question: an unchanged file needs no reload). */
    public synchronized boolean filesChanged() {
        return !files().hash().equals(inForce);
    }

    /** Checks the configuration as the files now say it, and applies it if valid; {@code trigger} is for the log. */
    public synchronized Outcome reload(String trigger) {
        MonitorMetrics metrics = bean("monitorMetrics", MonitorMetrics.class);
        LOG.info("Reloading the configuration ({}): checking it as validate does", trigger);
        ConfigurationCheck.Findings findings;
        try {
            findings = ConfigurationCheck.of(dir, profile, overrides);
        } catch (RuntimeException e) {
            findings = new ConfigurationCheck.Findings(List.of("the configuration cannot be read: "
                    + StartupFailure.describe(e)), List.of());
        }
        findings.warnings().forEach(LOG::warn);
        if (!findings.valid()) {
            findings.problems().forEach(problem -> LOG.error("Reload refused: {}", problem));
            LOG.error("Reload refused: {} problem{} found; the configuration in force ({}) stays, nothing of the new"
                    + " one is applied", findings.problems().size(), findings.problems().size() == 1 ? "" : "s",
                    inForce);
            metrics.reloadFailed();
            return new Outcome(false, findings.problems(), List.of(), inForce);
        }
        MonitorSettings settings = bean("monitorSettings", MonitorSettings.class);
        List<String> needRestart;
        try {
            needRestart = bean("pollingRounds", PollingRounds.class).betweenRounds(() -> apply(settings),
                    settings.limits().checkTimeout().plus(ROUND_END_MARGIN));
        } catch (Exception e) {
            String problem = "the new configuration could not be applied: " + StartupFailure.describe(e);
            LOG.error("Reload failed: {}; restart the monitor to apply the files as they are", problem);
            metrics.reloadFailed();
            return new Outcome(false, List.of(problem), List.of(), inForce);
        }
        inForce = files().hash();
        metrics.configurationInForce(inForce, clock.instant());
        metrics.reloadSucceeded();
        LOG.info("Configuration reloaded ({}): {} in force; ops' routes, routing rules, channels and templates"
                + " applied", trigger, inForce);
        if (!needRestart.isEmpty()) {
            LOG.warn("Reloaded without these changed settings, which take a restart (their values from the start"
                    + " stay in force until then): {}", String.join(", ", needRestart));
        }
        return new Outcome(true, List.of(), needRestart, inForce);
    }

    /** Between rounds: the properties, the templates, ops' routes and the channels' routes. */
    private List<String> apply(MonitorSettings settings) throws Exception {
        ConfigurationFiles files = files();
        List<Resource> opsFiles = files.routeFiles();
        org.apache.camel.component.properties.PropertiesComponent properties =
                (org.apache.camel.component.properties.PropertiesComponent) context.getPropertiesComponent();
        Properties overridden = properties.getOverrideProperties();
        held.forEach(overridden::remove);
        held.clear();
        properties.reloadProperties(null);
        List<String> needRestart = new ArrayList<>();
        boolean liveChanged = false;
        Map<String, Optional<String>> now = resolved(keys());
        Map<String, String> filesNow = fileValues();
        Set<String> changed = new TreeSet<>(atStart.keySet());
        changed.addAll(now.keySet());
        changed.addAll(filesAtStart.keySet());
        changed.addAll(filesNow.keySet());
        for (String key : changed) {
            Optional<String> before = atStart.getOrDefault(key, Optional.empty());
            boolean same = Objects.equals(before, now.getOrDefault(key, Optional.empty()))
                    && Objects.equals(filesAtStart.get(key), filesNow.get(key));
            if (same || readAtUse(key)) {
                continue;
            }
            if (APPLIED_LIVE.contains(key)) {
                liveChanged = true;
                continue;
            }
            needRestart.add(key);
            // what the beans were built with stays in force, for the routes' {{...}} too
            Optional<String> kept = before.or(() -> SettingsCatalog.find(key).map(setting -> setting.defaultValue()));
            if (kept.isPresent()) {
                overridden.setProperty(key, kept.get());
                held.add(key);
            }
        }
        if (liveChanged) {
            applyLive();
        }
        bean("alertTemplates", AlertTemplates.class).takeOver(AlertTemplates.load(settings.templatesDir()));
        bean("silences", Silences.class).replaceWindows(SilencesFile.read(files.silencesFile()));
        reloadRoutes(opsFiles);
        return needRestart;
    }

    /**
     * Ops' route files removed and loaded again, then the channels' sending routes made again from their templates
     * (the settings of a channel are parameters of its route). The delivery threads (deliver-&lt;channel&gt;) and the
     * engine's routes stay. A caller of a direct: route being made again waits for it (the direct component blocks a
     * producer until its consumer is back).
     */
    private void reloadRoutes(List<Resource> opsFiles) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Set<String> engine = new java.util.HashSet<>();
        EngineRoutes.files(context).forEach(file -> engine.add(file.getLocation()));
        java.util.function.Predicate<OptionalIdentifiedDefinition<?>> isOps = definition -> {
            String location = location(definition);
            return location != null && !engine.contains(location);
        };
        ChannelRoutes channels = bean("channelRoutes", ChannelRoutes.class);
        Set<String> sending = new TreeSet<>();
        channels.routeIds().stream().filter(id -> id.startsWith("send-")).forEach(sending::add);
        List<RouteDefinition> routes = new ArrayList<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (sending.contains(route.getId()) || isOps.test(route)) {
                routes.add(route);
            }
        }
        model.removeRouteDefinitions(routes);
        List<RouteTemplateDefinition> templates = model.getRouteTemplateDefinitions().stream()
                .filter(isOps::test).toList();
        model.removeRouteTemplateDefinitions(templates);
        for (RouteConfigurationDefinition configuration : List.copyOf(model.getRouteConfigurationDefinitions())) {
            if (isOps.test(configuration)) {
                model.removeRouteConfiguration(configuration);
            }
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(opsFiles);
        for (Map.Entry<String, Map<String, Object>> route : channels.replan().entrySet()) {
            if (!route.getKey().startsWith("send-")) {
                continue;
            }
            Map<String, Object> parameters = new LinkedHashMap<>(route.getValue());
            String template = (String) parameters.remove(RouteTemplateParameterSource.TEMPLATE_ID);
            context.addRouteFromTemplate(route.getKey(), template, parameters);
        }
        LOG.info("Routes made again: {} from ops' files ({}), channels' {}", routes.size() - sending.size(),
                opsFiles.stream().map(file -> EngineRoutes.shortName(file.getLocation())).toList(), sending);
    }

    /**
     * The file that defined it; null for a definition of no file. What is not the engine's (its files, in the jar)
     * is ops'.
     */
    private static String location(OptionalIdentifiedDefinition<?> definition) {
        Resource resource = definition instanceof ResourceAware aware ? aware.getResource() : null;
        return resource == null ? null : resource.getLocation();
    }

    /**
     * Read when used, not built into a bean at start: a named Slack webhook or channel (the routing rules' names),
     * and a setting of a channel declared in routes/ (its route is made again).
     */
    /**
     * The settings a reload hands to the beans that hold them (the next round and delivery pass use them): which TMs
     * are watched, which statuses count as failed, the reminder interval and the digest threshold.
     */
    static final Set<String> APPLIED_LIVE = Set.of("monitor.tm-uids", "monitor.tm-exclude-uids",
            "monitor.failed-statuses", "alert.repeat-interval", "alert.digest-threshold");

    /** The settings of {@link #APPLIED_LIVE} as the properties say them now (checked valid before). */
    private void applyLive() {
        MonitorSettings now = MonitorSettings.from(key -> context.getPropertiesComponent().resolveProperty(key));
        bean("watchList", WatchList.class).takeOver(now.tmUids(), Set.copyOf(now.tmExcludeUids()));
        bean("taskClassifier", TaskClassifier.class).takeOver(now.failedStatuses());
        bean("alertPlan", AlertPlanner.class).takeOver(now.alerts().repeatInterval(), now.alerts().digestThreshold());
        LOG.info("Reload: watching {}, failed statuses {}, reminders {}, digest above {}",
                now.tmUids().isEmpty() ? "every TM of the account" : now.tmUids().size() + " TM(s)",
                now.failedStatuses(), now.alerts().repeatInterval().isZero() ? "off"
                        : "every " + now.alerts().repeatInterval(), now.alerts().digestThreshold());
    }

    private static boolean readAtUse(String key) {
        return SettingsCatalog.isNamedWebhook(key) || SettingsCatalog.isNamedChannel(key)
                || SettingsCatalog.isChannelSetting(key);
    }

    /** Every key the properties files and overrides set, and every setting of the catalog. */
    private Set<String> keys() {
        Set<String> keys = new TreeSet<>(context.getPropertiesComponent().loadProperties().stringPropertyNames());
        SettingsCatalog.ALL.forEach(setting -> keys.add(setting.key()));
        return keys;
    }

    /** The keys of the properties files as written (the profile's file wins), without the environment. */
    private Map<String, String> fileValues() {
        Map<String, String> values = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>(files().propertiesFiles());
        java.util.Collections.reverse(files);
        for (Path file : files) {
            Properties read = new Properties();
            try (var in = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
                read.load(in);
            } catch (java.io.IOException e) {
                continue; // checked by validate before anything is applied
            }
            read.stringPropertyNames().forEach(key -> values.put(key, read.getProperty(key)));
        }
        return values;
    }

    private Map<String, Optional<String>> resolved(Set<String> keys) {
        Map<String, Optional<String>> values = new LinkedHashMap<>();
        for (String key : keys) {
            try {
                values.put(key, context.getPropertiesComponent().resolveProperty(key));
            } catch (RuntimeException e) {
                values.put(key, Optional.of("unresolvable: " + e.getClass().getSimpleName()));
            }
        }
        return values;
    }

    private ConfigurationFiles files() {
        return bean("configurationFiles", ConfigurationFiles.class);
    }

    private <T> T bean(String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("bean '" + name + "' is missing: the reload needs the monitor's beans");
        }
        return bean;
    }
}
