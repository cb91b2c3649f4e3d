package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.logging.StartupFailure;
import io.github.phrasetmmonitor.logging.StartupFailure;
import io.github.phrasetmmonitor.settings.AlertChannels;
import io.github.phrasetmmonitor.alert.AlertTemplates;
import io.github.phrasetmmonitor.alert.EmailChannel;
import io.github.phrasetmmonitor.alert.SlackChannel;
import io.github.phrasetmmonitor.settings.InvalidSettingsException;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import io.github.phrasetmmonitor.config.RouteContract;
import io.github.phrasetmmonitor.config.RouteSchema;
import io.github.phrasetmmonitor.settings.SettingsCatalog;
import io.github.phrasetmmonitor.settings.SettingsSource;
import io.github.phrasetmmonitor.settings.SettingsSummary;
import io.github.phrasetmmonitor.state.Routing;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** Stands in for a value found wrong or missing, so the checks after it still run; never contacted. */
    private static final Map<String, String> PLACEHOLDERS = Map.of(
            "phrase.api-token", "placeholder",
            "phrase.username", "placeholder",
            "phrase.password", "placeholder",
            "alert.slack.webhook-url", "https://placeholder.invalid/",
            "alert.email.to", "placeholder@example.invalid",
            "alert.email.from", "placeholder@example.invalid");
    /** Enough for every setting to be wrong once. */
    private static final int MOST_SETTING_PROBLEMS = SettingsCatalog.ALL.size() + 10;

    private final Deployment deployment;

    ValidateTool(Deployment deployment) {
        this.deployment = deployment;
    }

    int run(PrintStream out) {
        CamelContext context = deployment.offline();
        PropertiesComponent properties = context.getPropertiesComponent();
        List<String> problems = new ArrayList<>();
        Optional<MonitorSettings> settings = settings(properties, problems);
        settings.ifPresent(checked -> stateDirectory(checked, problems));
        problems.addAll(AlertTemplates.problems(deployment.resolve(properties.resolveProperty("alert.templates-dir")
                .map(String::trim).filter(dir -> !dir.isEmpty()).orElse(SettingsCatalog.defaultOf(
                        "alert.templates-dir")))));
        namedWebhooks(properties, problems);
        List<RouteFile> routes = routes(context, problems);
        rules(routes, properties, problems);
        problems.forEach(out::println);
        if (problems.isEmpty()) {
            out.println("validate: no problem found in the settings, " + routes.size() + " route files and the"
                    + " templates");
            return 0;
        }
        out.println("validate: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " found");
        return 1;
    }

    // --- settings ---------------------------------------------------------------------------------------------

    /**
     * Every setting as the start checks it ({@link MonitorSettings#from}), which stops at the first problem: each
     * problem found is reported, the key it names is given a neutral value, and the check runs again, until it
     * passes. Unknown keys of the monitor's namespaces are reported as the start reports them.
     */
    private Optional<MonitorSettings> settings(PropertiesComponent properties, List<String> problems) {
        Set<String> unknown = new TreeSet<>(properties.loadProperties(SettingsCatalog::isUnknownOwnKey)
                .stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(SettingsCatalog::isUnknownOwnKey)
                .forEach(unknown::add);
        for (String key : unknown) {
            problems.add(where(key) + "'" + key + "' is not a setting (did you mean " + SettingsCatalog.nearest(key)
                    + "?)");
        }
        SettingsSource configured = Deployment.source(properties);
        Map<String, String> neutral = new HashMap<>();
        SettingsSource source = key -> neutral.containsKey(key) ? Optional.of(neutral.get(key))
                : configured.lookup(key);
        boolean clean = true;
        Set<String> told = new LinkedHashSet<>();
        for (int attempt = 0; attempt < MOST_SETTING_PROBLEMS; attempt++) {
            try {
                MonitorSettings checked = MonitorSettings.from(source);
                // cluster mode's settings, checked without contacting the database
                io.github.phrasetmmonitor.settings.ClusterSettings.from(source);
                return clean ? Optional.of(checked) : Optional.empty();
            } catch (InvalidSettingsException e) {
                clean = false;
                Optional<String> key = keyNamed(e.getMessage(), neutral.keySet());
                if (told.add(e.getMessage())) {
                    problems.add(key.map(this::where).orElse("") + e.getMessage());
                }
                if (key.isEmpty()) {
                    return Optional.empty();
                }
                neutral.put(key.get(), neutralValue(key.get(), source.value(key.get()).isPresent(), e.getMessage()));
            }
        }
        return Optional.empty();
    }

    /**
     * A value that lets the check go on past a problem: a key missing gets a placeholder where the check needs one;
     * one of several ways to sign in that are all set is taken away; a wrong value becomes a valid one (the
     * placeholder, else the default).
     */
    private static String neutralValue(String key, boolean set, String problem) {
        String valid = PLACEHOLDERS.getOrDefault(key, SettingsCatalog.defaultOf(key));
        return set && problem.contains("are all set") ? "" : valid;
    }

    /** The declared key a message names first, of those not given a neutral value yet. */
    private static Optional<String> keyNamed(String message, Set<String> done) {
        String best = null;
        int bestAt = Integer.MAX_VALUE;
        for (String key : SettingsCatalog.keys()) {
            Matcher found = Pattern.compile(Pattern.quote(key) + "(?![A-Za-z0-9.-])").matcher(message);
            if (!done.contains(key) && found.find() && (found.start() < bestAt
                    || found.start() == bestAt && key.length() > best.length())) {
                best = key;
                bestAt = found.start();
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Where a key's value comes from, as a prefix of its problem: "application.properties:97: ", "env ALERT_CHANNELS:
     * ", or nothing for an override. The overrides win over the environment, the environment over the files.
     */
    private String where(String key) {
        if (deployment.overrides(key) || System.getProperty(key) != null) {
            return "";
        }
        String environmentName = SettingsCatalog.environmentName(key);
        if (System.getenv(environmentName) != null) {
            return "env " + environmentName + ": ";
        }
        List<Path> files = new ArrayList<>();
        deployment.profile().ifPresent(name -> files.add(Path.of("application-" + name + ".properties")));
        files.add(Path.of("application.properties"));
        Pattern line = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:]");
        for (Path file : files) {
            try {
                List<String> lines = Files.readAllLines(deployment.resolve(file.toString()));
                for (int i = 0; i < lines.size(); i++) {
                    if (line.matcher(lines.get(i)).find()) {
                        return file + ":" + (i + 1) + ": ";
                    }
                }
            } catch (IOException unreadable) {
                // the start reports an unreadable file on its own
            }
        }
        return "";
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
        List<Resource> resources;
        try {
            resources = deployment.routeFiles(context);
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
            RouteContract.breaches(context.getCamelContextExtension().getContextPlugin(Model.class))
                    .forEach(breach -> problems.add("routes: " + breach));
        }
        return files;
    }

    /**
     * What the routing rules set, where a constant says it: each channel must be configured, each Slack webhook must
     * have its URL, each recipient list must be email addresses. The routes' own defaults ({@code {{...}}}) are the
     * settings, checked above.
     */
    private void rules(List<RouteFile> files, PropertiesComponent properties, List<String> problems) {
        Set<String> configured;
        boolean channelsKnown = true;
        try {
            configured = new LinkedHashSet<>(AlertChannels.parse(properties.resolveProperty("alert.channels")
                    .orElse(SettingsCatalog.defaultOf("alert.channels"))).enabled());
            properties.resolveProperty("alert.fallback-channel").map(String::trim).filter(name -> !name.isEmpty())
                    .map(name -> name.toLowerCase(Locale.ROOT)).ifPresent(configured::add);
        } catch (IllegalArgumentException e) {
            // reported with the settings; the rules' webhooks and recipients are still checked
            configured = new LinkedHashSet<>(AlertChannels.KNOWN);
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
