package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.silence.SilencesFile;
import io.github.phrasetmmonitor.logging.StartupFailure;
import io.github.phrasetmmonitor.settings.AlertChannels;
import io.github.phrasetmmonitor.alert.AlertTemplates;
import io.github.phrasetmmonitor.alert.EmailChannel;
import io.github.phrasetmmonitor.alert.SlackChannel;
import io.github.phrasetmmonitor.settings.ClusterSettings;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import io.github.phrasetmmonitor.config.RouteContract;
import io.github.phrasetmmonitor.config.RouteSchema;
import io.github.phrasetmmonitor.settings.SettingsCatalog;
import io.github.phrasetmmonitor.settings.SettingsOrigins;
import io.github.phrasetmmonitor.settings.SettingsReader;
import io.github.phrasetmmonitor.settings.SettingsSummary;
import io.github.phrasetmmonitor.state.Routing;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import io.github.phrasetmmonitor.alert.AlertChannel;
import io.github.phrasetmmonitor.channel.ChannelDeclaration;
import io.github.phrasetmmonitor.channel.ChannelMessages;
import io.github.phrasetmmonitor.channel.ChannelSettings;
import io.github.phrasetmmonitor.channel.DeclaredChannel;
import io.github.phrasetmmonitor.config.ChannelRoutes;
import io.github.phrasetmmonitor.config.EngineRoutes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * {@code validate}: loads the settings, the route files and the templates as a start would, and reports every problem
 * it finds, one line each naming the file and line, or the key: each setting as the start checks it, each route file
 * against Camel's YAML DSL schema and then as Camel loads it, the routes the monitor depends on
 * ({@link RouteContract}), every template, and every channel, Slack webhook and email recipient list a routing rule
 * sets. It contacts nothing and writes nothing. Exit code 0 when it found nothing, 1 otherwise.
 */
final class ValidateTool {

    private final Deployment deployment;
    private final List<String> warnings = new ArrayList<>();

    ValidateTool(Deployment deployment) {
        this.deployment = deployment;
    }

    int run(PrintStream out) {
        Findings findings = check();
        findings.warnings().forEach(out::println);
        findings.problems().forEach(out::println);
        if (findings.problems().isEmpty()) {
            out.println("validate: no problem found in the settings, " + findings.routeFiles() + " route files and the"
                    + " templates");
            return 0;
        }
        out.println("validate: " + findings.problems().size() + " problem"
                + (findings.problems().size() == 1 ? "" : "s") + " found");
        return 1;
    }

    /** What validate finds: every problem and warning, one line each, and how many route files it read. */
    record Findings(List<String> problems, List<String> warnings, int routeFiles) {
    }

    /** Every check of validate, run once; a reload of the running monitor runs the same ({@link ConfigurationCheck}). */
    Findings check() {
        CamelContext context = deployment.offline();
        try {
            PropertiesComponent properties = context.getPropertiesComponent();
            List<String> problems = new ArrayList<>();
            Optional<MonitorSettings> settings = settings(properties, problems);
            settings.ifPresent(checked -> stateDirectory(checked, problems));
            problems.addAll(AlertTemplates.problems(deployment.resolve(properties.resolveProperty("alert.templates-dir")
                    .map(String::trim).filter(dir -> !dir.isEmpty()).orElse(SettingsCatalog.defaultOf(
                            "alert.templates-dir")))));
            // the maintenance windows (monitor.silences-file): each mistake with the file and its line, as at start-up
            problems.addAll(SilencesFile.problems(deployment.resolve(properties.resolveProperty("monitor.silences-file")
                    .map(String::trim).filter(file -> !file.isEmpty())
                    .orElse(SettingsCatalog.defaultOf("monitor.silences-file")))));
            namedWebhooks(properties, problems);
            List<RouteFile> routes = routes(context, problems);
            ChannelSettings channelSettings = channels(context, properties, problems);
            rules(routes, properties, channelSettings, problems);
            return new Findings(List.copyOf(problems), List.copyOf(warnings), routes.size());
        } finally {
            context.stop();
        }
    }

    // --- settings ---------------------------------------------------------------------------------------------

    /**
     * Every setting as the start reads it, in the same one pass ({@link MonitorSettings#read}): each problem found,
     * with where it is set. Unknown keys of the monitor's namespaces are reported as the start reports them.
     */
    private Optional<MonitorSettings> settings(PropertiesComponent properties, List<String> problems) {
        SettingsReader reader = new SettingsReader(Deployment.source(properties));
        Set<String> unknown = new TreeSet<>(properties.loadProperties(SettingsCatalog::isUnknownOwnKey)
                .stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(SettingsCatalog::isUnknownOwnKey)
                .forEach(unknown::add);
        for (String key : unknown) {
            reader.problem("'" + key + "' is not a setting (did you mean " + SettingsCatalog.nearest(key) + "?)", key);
        }
        MonitorSettings checked = MonitorSettings.read(reader);
        // cluster mode's settings, checked without contacting the database
        ClusterSettings.read(reader);
        SettingsOrigins origins = origins();
        reader.problems().forEach(problem -> problems.add(origins.prefix(problem.key()) + problem.message()));
        reader.warnings().forEach(warning -> warnings.add("warning: " + warning));
        return reader.hasProblems() ? Optional.empty() : Optional.of(checked);
    }

    /** Where settings come from, as the start finds them: overrides, the environment, the profile's file, the file. */
    private SettingsOrigins origins() {
        List<SettingsOrigins.File> files = new ArrayList<>();
        deployment.profile().ifPresent(name -> files.add(file("application-" + name + ".properties")));
        files.add(file("application.properties"));
        return new SettingsOrigins(files, key -> deployment.overrides(key) || System.getProperty(key) != null,
                System::getenv);
    }

    private SettingsOrigins.File file(String name) {
        return new SettingsOrigins.File(name, deployment.resolve(name));
    }

    /** Where a key's value comes from, as a problem's prefix: "application.properties:97: ", "env X: ", or "". */
    private String where(String key) {
        return origins().prefix(Optional.of(key));
    }

    /** As the start checks it, but without creating it: validate writes nothing. */
    private void stateDirectory(MonitorSettings settings, List<String> problems) {
        Path dir = deployment.resolve(settings.stateDir().toString()).toAbsolutePath().normalize();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            problems.add(where("monitor.state-dir") + "monitor.state-dir " + dir + " is not a writable directory"
                    + (existing != null && !existing.equals(dir) ? " (nor can it be created in " + existing + ")"
                    : ""));
        }
    }

    // --- routes -----------------------------------------------------------------------------------------------

    /** Each route file: YAML, Camel's schema, Camel's loader; then the routes the monitor depends on. */
    private List<RouteFile> routes(CamelContext context, List<String> problems) {
        List<Resource> resources = new ArrayList<>();
        List<Resource> engine = EngineRoutes.files(context);
        try {
            resources.addAll(deployment.routeFiles(context));
        } catch (RuntimeException e) {
            problems.add("camel.main.routes-include-pattern: the route files cannot be listed: "
                    + StartupFailure.describe(e));
            return List.of();
        }
        if (resources.isEmpty()) {
            problems.add(where("camel.main.routes-include-pattern") + "camel.main.routes-include-pattern names no"
                    + " route file");
            return List.of();
        }
        RouteSchema schema = RouteSchema.load();
        List<RouteFile> files = new ArrayList<>();
        boolean allLoaded = true;
        // the engine's first, as a start loads them: what they define is the engine's, which ops' files may not redefine
        Map<String, String> owned = Map.of();
        try {
            owned = EngineRoutes.load(context);
        } catch (Exception e) {
            problems.add(EngineRoutes.LOCATION + ": Camel cannot load the engine's routes: " + StartupFailure.describe(e));
            allLoaded = false;
        }
        for (Resource resource : engine) {
            files.add(RouteFile.read(resource, resource.getLocation()));
        }
        for (Resource resource : resources) {
            RouteFile file = RouteFile.read(resource, deployment.shortName(resource));
            files.add(file);
            if (file.unparsable().isPresent()) {
                problems.add(file.unparsable().get());
                allLoaded = false;
                continue;
            }
            for (RouteSchema.Violation violation : schema.violations(file.text())) {
                problems.add(file.name() + ":" + file.lineOf(violation.path()) + ": not valid in Camel's YAML DSL"
                        + " schema at " + violation.pointer() + ": " + StartupFailure.oneLine(violation.message()));
            }
            try {
                PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            } catch (Exception e) {
                problems.add(file.name() + ": Camel cannot load it: " + StartupFailure.describe(e));
                allLoaded = false;
            }
        }
        if (allLoaded) {
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            EngineRoutes.breaches(model, owned).forEach(problems::add);
            RouteContract.breaches(model).forEach(breach -> problems.add("routes: " + breach));
        }
        return files;
    }

    /**
     * What the routing rules set, where a constant says it: each channel must be configured, each Slack webhook must
     * have its URL, each recipient list must be email addresses. The routes' own defaults ({@code {{...}}}) are the
     * settings, checked above.
     */
    private void rules(List<RouteFile> files, PropertiesComponent properties, ChannelSettings channelSettings,
                       List<String> problems) {
        Set<String> configured;
        boolean channelsKnown = true;
        try {
            configured = new LinkedHashSet<>(AlertChannels.parse(properties.resolveProperty("alert.channels")
                    .orElse(SettingsCatalog.defaultOf("alert.channels"))).enabled());
            properties.resolveProperty("alert.fallback-channel").map(String::trim).filter(name -> !name.isEmpty())
                    .map(name -> name.toLowerCase(Locale.ROOT)).ifPresent(configured::add);
        } catch (IllegalArgumentException e) {
            // reported with the settings; the rules' webhooks and recipients are still checked
            configured = new LinkedHashSet<>(List.of(AlertChannels.SLACK, AlertChannels.EMAIL));
            channelsKnown = false;
        }
        for (RouteFile file : files) {
            for (RouteFile.Constant rule : file.constants("alertChannels")) {
                if (rule.value().contains("{{") || !channelsKnown) {
                    continue;
                }
                for (String channel : AlertChannels.names(rule.value())) {
                    if (!configured.contains(channel)) {
                        problems.add(at(rule) + "a routing rule sends to channel '" + channel + "', which is not"
                                + " configured; use one of alert.channels or alert.fallback-channel: " + configured);
                    }
                }
            }
            if (configured.contains(SlackChannel.NAME)) {
                SlackNames slack = SlackNames.of(properties);
                for (RouteFile.Constant rule : file.constants(new SlackChannel().routingVariable())) {
                    slackName(rule, slack).ifPresent(problems::add);
                }
            }
            for (String channel : configured) {
                channelSettings.declaration(channel).filter(declared -> !declared.parameters().isEmpty())
                        .ifPresent(declared -> {
                            DeclaredChannel named = new DeclaredChannel(channel, channelSettings);
                            for (RouteFile.Constant rule : file.constants(named.routingVariable())) {
                                destination(rule, named, declared, channelSettings).ifPresent(problems::add);
                            }
                        });
            }
            if (configured.contains(EmailChannel.NAME)) {
                for (RouteFile.Constant rule : file.constants("emailTo")) {
                    if (!rule.value().contains("{{")) {
                        try {
                            new EmailChannel("").destination(rule.value());
                        } catch (IllegalArgumentException e) {
                            problems.add(at(rule) + e.getMessage());
                        }
                    }
                }
            }
        }
    }

    /**
     * The channels routes/ declares, as the start checks them (config.ChannelRoutes): each configured channel is
     * declared, its settings are set and its own, its templates load. Only when every route file loaded.
     */
    private ChannelSettings channels(CamelContext context, PropertiesComponent properties, List<String> problems) {
        ChannelSettings channelSettings = new ChannelSettings(properties::resolveProperty);
        Set<String> configured = new LinkedHashSet<>();
        try {
            configured.addAll(AlertChannels.parse(properties.resolveProperty("alert.channels")
                    .orElse(SettingsCatalog.defaultOf("alert.channels"))).enabled());
            properties.resolveProperty("alert.fallback-channel").map(String::trim).filter(name -> !name.isEmpty())
                    .map(name -> name.toLowerCase(Locale.ROOT)).ifPresent(configured::add);
        } catch (IllegalArgumentException e) {
            return channelSettings; // reported with the settings
        }
        Map<String, AlertChannel> channels = new LinkedHashMap<>();
        configured.forEach(name -> channels.put(name, AlertChannels.SLACK.equals(name) ? new SlackChannel()
                : AlertChannels.EMAIL.equals(name) ? new EmailChannel("") : new DeclaredChannel(name, channelSettings)));
        Path templates = deployment.resolve(properties.resolveProperty("alert.templates-dir").map(String::trim)
                .filter(dir -> !dir.isEmpty()).orElse(SettingsCatalog.defaultOf("alert.templates-dir")));
        new ChannelRoutes(context, channels, channelSettings, new ChannelMessages(channelSettings, Clock.systemUTC()),
                templates).check(context).forEach(problem -> problems.add("channels: " + problem));
        return channelSettings;
    }

    /** A rule's destination of a declared channel must be a name, and the channel's required settings set for it. */
    private static Optional<String> destination(RouteFile.Constant rule, DeclaredChannel channel,
                                                ChannelDeclaration declared, ChannelSettings settings) {
        if (rule.value().contains("{{")) {
            return Optional.empty();
        }
        String name;
        try {
            name = channel.destination(rule.value());
        } catch (IllegalArgumentException e) {
            return Optional.of(at(rule) + e.getMessage());
        }
        for (ChannelDeclaration.Parameter parameter : declared.parameters()) {
            if (parameter.required() && settings.value(channel.name(), parameter.name(), name).isEmpty()) {
                String key = declared.settingKey(parameter.name()) + "." + name;
                return Optional.of(at(rule) + "a routing rule sends to " + channel.name() + " '" + name + "', whose "
                        + parameter.name() + " is not set: set " + key + " (env "
                        + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")");
            }
        }
        return Optional.empty();
    }

    /** Every named webhook that is configured (as the start-up summary finds them) must be an http(s) URL. */
    private void namedWebhooks(PropertiesComponent properties, List<String> problems) {
        Set<String> keys = new TreeSet<>(properties.loadProperties(key -> key.startsWith(
                SettingsCatalog.NAMED_WEBHOOK_PREFIX)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith(SettingsCatalog.NAMED_WEBHOOK_PREFIX)).forEach(keys::add);
        for (String key : SettingsSummary.namedWebhookKeys(keys, System.getenv().keySet())) {
            Optional<String> url = properties.resolveProperty(key).map(String::trim).filter(value -> !value.isEmpty());
            if (url.isPresent() && !url.get().matches("(?i)https?://[^/\\s]+.*")) {
                problems.add(where(key) + key + " is not an http(s) URL");
            }
        }
    }

    /** A rule's Slack name must have its webhook URL (or, in Slack app mode, its channel) set. */
    private static Optional<String> slackName(RouteFile.Constant rule, SlackNames slack) {
        if (rule.value().contains("{{")) {
            return Optional.empty();
        }
        String name;
        try {
            name = new SlackChannel().destination(rule.value());
        } catch (IllegalArgumentException e) {
            return Optional.of(at(rule) + e.getMessage());
        }
        if (Routing.DEFAULT_WEBHOOK.equals(name)) {
            return Optional.empty(); // alert.slack.webhook-url or alert.slack.channel, checked with the settings
        }
        if (!slack.isSet(name)) {
            return Optional.of(at(rule) + "a routing rule sends to Slack " + slack.label(name) + ", whose "
                    + (slack.appMode() ? "channel" : "URL") + " is not set: set " + slack.key(name) + " (env "
                    + slack.environmentName(name) + ")");
        }
        return Optional.empty(); // a configured webhook's URL is checked with the settings (namedWebhooks)
    }

    private static String at(RouteFile.Constant rule) {
        return rule.file() + ":" + rule.line() + ": ";
    }
}
