package io.github.phrasetmmonitor.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.main.DefaultRoutesCollector;
import org.apache.camel.model.Model;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceAware;
import org.apache.camel.support.PluginHelper;

/**
 * The engine's routes: the files of routes/engine/ in the source tree, shipped in the jar as
 * {@value #LOCATION} and loaded from there, so upgrading the jar (or the image) upgrades the engine and never touches
 * ops' files in the deployment directory (application.properties, routes/*.camel.yaml, templates/), which
 * camel.main.routes-include-pattern loads after them. An ops file may add routes, rules and channels, but not
 * replace a route, route template or route configuration of the engine's: {@link #breaches} names the file that does.
 */
public final class EngineRoutes {

    /** Where the engine's route files are read from. */
    public static final String LOCATION = "classpath:engine/*.camel.yaml";

    private EngineRoutes() {
    }

    /** The engine's route files, by name. */
    public static List<Resource> files(CamelContext context) {
        List<Resource> files = new ArrayList<>(new DefaultRoutesCollector()
                .findRouteResourcesFromDirectory(context, null, LOCATION));
        files.sort(Comparator.comparing(Resource::getLocation));
        if (files.isEmpty()) {
            throw new IllegalStateException("the engine's routes (" + LOCATION + ") are missing from the classpath:"
                    + " start the monitor from its jar");
        }
        return files;
    }

    /**
     * Loads the engine's routes into {@code context}, before ops' files; returns what they define (routes, route
     * templates, route configurations) by id, with the engine file defining each.
     */
    public static Map<String, String> load(CamelContext context) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        java.util.Set<Object> before = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        before.addAll(definitions(model));
        PluginHelper.getRoutesLoader(context).loadRoutes(files(context));
        Map<String, String> owned = new LinkedHashMap<>();
        for (OptionalIdentifiedDefinition<?> definition : definitions(model)) {
            if (definition.getId() != null && !before.contains(definition)) {
                owned.put(definition.getId(), location(definition));
            }
        }
        return owned;
    }

    /**
     * One line for each ops file that defines an id the engine owns (it would replace the engine's definition, or
     * run beside it): typically a copy of an engine file an older release kept in routes/.
     */
    public static List<String> breaches(Model model, Map<String, String> owned) {
        List<String> breaches = new ArrayList<>();
        for (OptionalIdentifiedDefinition<?> definition : definitions(model)) {
            String engine = owned.get(definition.getId());
            String location = location(definition);
            if (engine != null && !location.equals(engine)) {
                breaches.add(shortName(location) + " defines '" + definition.getId() + "', which is the engine's ("
                        + "engine/" + engine.substring(engine.lastIndexOf('/') + 1) + " in the jar): ops' files may"
                        + " add routes, rules and channels but not replace the engine's; delete it from routes/ (the"
                        + " engine's routes ship in the jar since the split of ops' files from the release's)");
            }
        }
        return breaches;
    }

    private static List<OptionalIdentifiedDefinition<?>> definitions(Model model) {
        List<OptionalIdentifiedDefinition<?>> all = new ArrayList<>();
        all.addAll(model.getRouteDefinitions());
        all.addAll(model.getRouteTemplateDefinitions());
        all.addAll(model.getRouteConfigurationDefinitions());
        return all;
    }

    private static String location(OptionalIdentifiedDefinition<?> definition) {
        Resource resource = definition instanceof ResourceAware aware ? aware.getResource() : null;
        return resource == null ? "" : Objects.toString(resource.getLocation(), "");
    }

    /** A route file's location as ops see it: relative to the working directory when it is in there. */
    public static String shortName(String location) {
        String file = location.replaceFirst("^file:", "");
        java.nio.file.Path path = java.nio.file.Path.of(file);
        java.nio.file.Path here = java.nio.file.Path.of("").toAbsolutePath();
        return path.isAbsolute() && path.startsWith(here) ? here.relativize(path).toString() : file;
    }
}
