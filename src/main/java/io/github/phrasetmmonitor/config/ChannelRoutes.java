package io.github.phrasetmmonitor.config;

import io.github.phrasetmmonitor.alert.AlertChannel;
import io.github.phrasetmmonitor.channel.ChannelDeclaration;
import io.github.phrasetmmonitor.channel.ChannelMessages;
import io.github.phrasetmmonitor.channel.ChannelSettings;
import io.github.phrasetmmonitor.channel.DeclaredChannel;
import io.github.phrasetmmonitor.settings.InvalidSettingsException;
import io.github.phrasetmmonitor.settings.SettingsCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import io.github.phrasetmmonitor.state.Routing;
import org.apache.camel.model.Model;
import org.apache.camel.spi.RouteTemplateParameterSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the channels' routes as Camel initialises, after it read routes/ and before anything starts (Camel asks every
 * {@link RouteTemplateParameterSource} in the registry then). Each channel is a route template in
 * routes/channel-&lt;name&gt;.camel.yaml ({@link ChannelDeclaration}); for each channel of alert.channels and
 * alert.fallback-channel this makes its route {@code send-<name>-alert} from that template, and its delivery thread
 * {@code deliver-<name>} from the engine's one template {@value #DELIVERY_TEMPLATE} (routes/deliver-alerts.camel.yaml),
 * so every channel has the same delivery shape. First it checks what only the route files can tell: that each such
 * channel is declared, that its settings are set and are its own, and that its templates load; every problem is one
 * line naming the file or the key, and the start stops. A channel that is not configured stays an inert file.
 */
public final class ChannelRoutes implements RouteTemplateParameterSource {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRoutes.class);
    /** The engine's route template of a channel's delivery thread. */
    public static final String DELIVERY_TEMPLATE = "channel-delivery";

    private final CamelContext context;
    private final Map<String, AlertChannel> configured;
    private final ChannelSettings settings;
    private final ChannelMessages messages;
    private final Path templatesDir;
    private Map<String, Map<String, Object>> routes;

    /** @param configured the channels of alert.channels and alert.fallback-channel, by name */
    public ChannelRoutes(CamelContext context, Map<String, AlertChannel> configured, ChannelSettings settings,
                         ChannelMessages messages, Path templatesDir) {
        this.context = context;
        this.configured = Map.copyOf(configured);
        this.settings = settings;
        this.messages = messages;
        this.templatesDir = templatesDir;
    }

    @Override
    public synchronized Set<String> routeIds() {
        return routes().keySet();
    }

    @Override
    public synchronized Map<String, Object> parameters(String routeId) {
        return routes().get(routeId);
    }

    /**
     * Plans the channels' routes again from the route templates and settings in force now (a reload of the
     * configuration): the routes to make, by id, with their template and parameters.
     *
     * @throws InvalidSettingsException with every problem, when the channels as now declared have one
     */
    public synchronized Map<String, Map<String, Object>> replan() {
        routes = null;
        return Map.copyOf(routes());
    }

    /** Checks the channels (once) and plans their routes: route id to its template and parameters. */
    private Map<String, Map<String, Object>> routes() {
        if (routes != null) {
            return routes;
        }
        List<String> problems = check(context);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(String.join("; ", problems));
        }
        Map<String, Map<String, Object>> planned = new LinkedHashMap<>();
        for (String channel : configured.keySet()) {
            ChannelDeclaration declaration = settings.declaration(channel).orElseThrow();
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put(TEMPLATE_ID, channel);
            // a secret never becomes part of a route: its templates and steps read it when they send
            declaration.parameters().forEach(parameter -> parameters.put(parameter.name(), parameter.secret()
                    ? "[secret " + declaration.settingKey(parameter.name()) + "]"
                    : settings.value(channel, parameter.name(), Routing.DEFAULT_WEBHOOK).orElse("")));
            planned.put("send-" + channel + "-alert", parameters);
            planned.put("deliver-" + channel, Map.of(TEMPLATE_ID, DELIVERY_TEMPLATE, "channel", channel));
        }
        routes = planned;
        LOG.info("Channels: {} (alert.channels, alert.fallback-channel) of those routes/ declares: {}",
                String.join(", ", configured.keySet()), String.join(", ", settings.declaredNames()));
        return routes;
    }

    /**
     * Every problem of the channels as the route files declare them, one line each; empty when none. Hands the
     * declarations to the channels' settings and templates.
     */
    public List<String> check(CamelContext context) {
        Map<String, ChannelDeclaration> declared = ChannelDeclaration.all(
                context.getCamelContextExtension().getContextPlugin(Model.class));
        settings.declare(declared);
        List<String> problems = new ArrayList<>();
        boolean delivery = context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteTemplateDefinition(DELIVERY_TEMPLATE) != null;
        if (!delivery) {
            problems.add("route template '" + DELIVERY_TEMPLATE + "' is missing from routes/ (deliver-alerts.camel.yaml):"
                    + " every channel's delivery thread is made from it");
        }
        for (String channel : configured.keySet()) {
            if (!declared.containsKey(channel)) {
                String guess = declared.keySet().stream().filter(name -> name.startsWith(channel)
                        || channel.startsWith(name)).findFirst().map(name -> " (did you mean " + name + "?)").orElse("");
                problems.add("channel '" + channel + "' (alert.channels or alert.fallback-channel) is not declared in"
                        + " routes/" + guess + ": a channel is a file routes/channel-" + channel + ".camel.yaml with a"
                        + " route template " + channel + " starting at " + ChannelDeclaration.sendUri(channel)
                        + "; routes/ declares " + String.join(", ", new TreeSet<>(declared.keySet())));
            }
        }
        for (String channel : configured.keySet()) {
            ChannelDeclaration declaration = declared.get(channel);
            if (declaration != null && !ChannelDeclaration.ROUTE_CONFIGURATION.equals(declaration.routeConfiguration())) {
                problems.add(EngineRoutes.shortName(declaration.file()) + ": the route of channel " + channel
                        + " must have routeConfigurationId: " + ChannelDeclaration.ROUTE_CONFIGURATION + " (it has "
                        + declaration.routeConfiguration() + "): the pipeline's one retry rule, by the channel's verdict");
            }
        }
        Set<String> ownKeys = new TreeSet<>(context.getPropertiesComponent()
                .loadProperties(SettingsCatalog::isChannelSetting).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(SettingsCatalog::isChannelSetting)
                .forEach(ownKeys::add);
        problems.addAll(settings.problems(configured.keySet(), ownKeys));
        Set<String> generic = new LinkedHashSet<>();
        configured.forEach((name, channel) -> {
            if (channel instanceof DeclaredChannel && declared.containsKey(name)) {
                generic.add(name);
            }
        });
        messages.load(templatesDir, generic, problems);
        return problems;
    }
}
