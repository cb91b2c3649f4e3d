package io.github.phrasetmmonitor.config;

import io.github.phrasetmmonitor.settings.InvalidSettingsException;
import io.github.phrasetmmonitor.metrics.MonitorRoutePolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetVariableDefinition;

/**
 * The route ids, route configurations and exchange variables the Java side depends on (route policies for health,
 * metrics, the check claims and the monitor's problems; the delivery retry rule; the routing of incidents), declared
 * in one place and checked when the context starts, after the YAML routes are loaded. A route renamed or a variable
 * no longer set stops start-up with one line naming it, instead of silently switching a metric, a health check or
 * an alert off.
 */
public final class RouteContract {

    /** Each route id, and the variables that route must set (in its own steps, at any depth). */
    static final Map<String, List<String>> ROUTES = Map.of(
            MonitorRoutePolicies.CHECK_ROUTE, List.of("tmUid", "incidentKind"),
            MonitorRoutePolicies.LIST_ROUTE, List.of(),
            "route-incident", List.of("alertChannels"),
            "route-monitor-problems", List.of("incidentKind", "tmUid"),
            "deliver-each", List.of("notice"));

    /** Route configurations the Java side looks for; each must be used by at least one route. */
    static final List<String> CONFIGURATIONS = List.of(MonitorRoutePolicies.DELIVERY_CONFIGURATION);

    private RouteContract() {
    }

    /**
     * Checks the loaded routes when the context starts; a breach fails the start with one line per breach.
     *
     * @param engine what the engine's files define, by id ({@link EngineRoutes#load})
     */
    static void checkAtStart(CamelContext context, Map<String, String> engine) throws Exception {
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext starting, boolean alreadyStarted) {
                Model model = starting.getCamelContextExtension().getContextPlugin(Model.class);
                List<String> breaches = new ArrayList<>(EngineRoutes.breaches(model, engine));
                breaches.addAll(breaches(model));
                if (!breaches.isEmpty()) {
                    throw new InvalidSettingsException(String.join("; ", breaches));
                }
            }

            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // checked while starting
            }
        });
    }

    public static List<String> breaches(Model model) {
        List<String> breaches = new ArrayList<>();
        ROUTES.forEach((id, variables) -> {
            RouteDefinition route = model.getRouteDefinition(id);
            if (route == null) {
                breaches.add("route '" + id + "' is missing from routes/: the monitor depends on it by that id");
                return;
            }
            for (String variable : variables) {
                if (!sets(route.getOutputs(), variable)) {
                    breaches.add("route '" + id + "' no longer sets the variable '" + variable
                            + "' (setVariable): the monitor depends on it");
                }
            }
        });
        for (String configuration : CONFIGURATIONS) {
            boolean declared = model.getRouteConfigurationDefinitions().stream()
                    .map(RouteConfigurationDefinition::getId).anyMatch(configuration::equals);
            // every channel's route uses alert-delivery; it is made from its template as the monitor starts
            boolean used = model.getRouteDefinitions().stream()
                    .anyMatch(route -> configuration.equals(route.getRouteConfigurationId()))
                    || model.getRouteTemplateDefinitions().stream().anyMatch(template -> template.getRoute() != null
                    && configuration.equals(template.getRoute().getRouteConfigurationId()));
            if (!declared || !used) {
                breaches.add("route configuration '" + configuration + "' is " + (declared ? "used by no route"
                        : "missing from routes/") + ": the monitor depends on it");
            }
        }
        return breaches;
    }

    private static boolean sets(List<ProcessorDefinition<?>> outputs, String variable) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof SetVariableDefinition set && variable.equals(set.getName())) {
                return true;
            }
            if (sets(output.getOutputs(), variable)) {
                return true;
            }
        }
        return false;
    }
}
