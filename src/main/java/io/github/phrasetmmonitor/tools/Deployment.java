package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.config.MonitorMain;
import io.github.phrasetmmonitor.config.MonitorConfiguration;
import io.github.phrasetmmonitor.settings.SettingsSource;
import io.github.phrasetmmonitor.metrics.MonitorRoutePolicies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.DefaultRoutesCollector;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;

/**
 * The deployment directory the tools look at, read the way a start reads it: {@code application.properties} (and
 * {@code application-<profile>.properties}), the environment, the route files that
 * {@code camel.main.routes-include-pattern} names and the templates. {@code overrides} win over all of them, as they
 * do for {@link MonitorMain#create}; tests use them.
 */
final class Deployment {

    /** Camel's default when the properties name no route files. */
    private static final String DEFAULT_ROUTES = "classpath:camel/*";

    private final Path dir;
    private final Optional<String> profile;
    private final Map<String, String> overrides;

    /** @param dir the deployment directory; only {@code validate} can look at another than the working directory */
    Deployment(Path dir, Optional<String> profile, Map<String, String> overrides) {
        this.dir = dir;
        this.profile = profile;
        this.overrides = Map.copyOf(overrides);
    }

    /** A file or directory of the deployment, as the settings name it (relative to the deployment directory). */
    Path resolve(String path) {
        return dir.resolve(path);
    }

    Optional<String> profile() {
        return profile;
    }

    /**
     * The settings as the monitor's start resolves them (its property locations, the environment, JVM system
     * properties and the overrides), in a Camel context that is never started: nothing is contacted, no route runs.
     */
    CamelContext offline() {
        CamelContext context = new DefaultCamelContext(false);
        // built, never started: the properties, the type converters and the routes loader work; no route runs
        context.build();
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.setLocation(String.join(",", MonitorMain.propertyLocations(dir, profile)));
        Properties initial = new Properties();
        initial.putAll(overrides);
        properties.setOverrideProperties(initial);
        return context;
    }

    /** Whether the overrides set {@code key}; they win over the environment and the files. */
    boolean overrides(String key) {
        return overrides.containsKey(key);
    }

    static SettingsSource source(PropertiesComponent properties) {
        return key -> properties.resolveProperty(key);
    }

    /** The route files a start loads: those of camel.main.routes-include-pattern, less the exclude pattern. */
    List<Resource> routeFiles(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        String include = inDeployment(properties.resolveProperty("camel.main.routes-include-pattern")
                .orElse(DEFAULT_ROUTES));
        String exclude = properties.resolveProperty("camel.main.routes-exclude-pattern").map(this::inDeployment)
                .orElse(null);
        List<Resource> files = new ArrayList<>(new DefaultRoutesCollector()
                .findRouteResourcesFromDirectory(context, exclude, include));
        files.sort(Comparator.comparing(Resource::getLocation));
        return files;
    }

    /** Relative file: patterns are relative to the deployment directory, as they are to a start's. */
    private String inDeployment(String patterns) {
        List<String> resolved = new ArrayList<>();
        for (String pattern : patterns.split(",")) {
            String trimmed = pattern.trim();
            if (trimmed.startsWith("file:") && !Path.of(trimmed.substring(5)).isAbsolute()) {
                trimmed = "file:" + dir.toAbsolutePath().resolve(trimmed.substring(5)).normalize();
            }
            resolved.add(trimmed);
        }
        return String.join(",", resolved);
    }

    /** A route file's name as ops see it: relative to the deployment directory when it is in there. */
    String shortName(Resource file) {
        String location = file.getLocation().replaceFirst("^file:", "");
        Path path = Path.of(location);
        Path here = dir.toAbsolutePath().normalize();
        return path.isAbsolute() && path.startsWith(here) ? here.relativize(path).toString() : location;
    }

    /**
     * The monitor as a start builds it (its settings, beans, routes and route contract), for a dry run: its incident
     * journal is a scratch one, so the real one is neither read nor written, no route starts by itself (no poll, no
     * problem check, no delivery thread), there is no management server, and its checks and sends feed no health,
     * metric or monitor problem ({@link MonitorRoutePolicies} is left out). {@code replaceBeans} runs once the
     * monitor's own configuration has bound its beans and before the routes are built, so it can replace a bean the
     * routes use ({@link #replace}). The caller starts the routes it needs
     * ({@link #startDirectRoutes}) and stops the monitor, which deletes the scratch journal.
     */
    DryRun dryRun(Consumer<CamelContext> replaceBeans) {
        if (!dir.toAbsolutePath().normalize().equals(Path.of("").toAbsolutePath())) {
            throw new IllegalStateException("the monitor starts from the working directory only, not " + dir);
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory("phrase-tm-monitor-dry-run-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>(overrides);
        settings.put("camel.main.auto-startup", "false");
        settings.put("camel.management.enabled", "false");
        // so a routing rule can be named by its place in the file
        settings.put("camel.main.source-location-enabled", "true");
        settings.put("camel.main.message-history", "true");
        // pinned, not an override: an environment variable (MONITOR_STATE_DIR) would win over an override. A dry
        // run is one process with a scratch journal, also where the monitor runs as a cluster: it must never write
        // the cluster's shared state nor join its schedule
        Main main = MonitorMain.create(profile, settings,
                new MonitorConfiguration(Map.of("monitor.state-dir", scratch.toString(), "cluster.jdbc-url", "")));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                // set on the context too, as CAMEL_MAIN_AUTO_STARTUP=true would win over the override
                configured.getCamelContext().setAutoStartup(false);
                // a dry run's checks and sends are the tool's to report: they feed no health, metric or monitor
                // problem, whose log line (Monitor problem tm-not-found:...) would look recorded
                configured.getCamelContext().getRoutePolicyFactories()
                        .removeIf(MonitorRoutePolicies.class::isInstance);
                replaceBeans.accept(configured.getCamelContext());
            }
        });
        return new DryRun(main, scratch);
    }

    /** Binds {@code bean} under {@code name} in place of the monitor's own bean of that name. */
    static void replace(CamelContext context, String name, Object bean) {
        context.getRegistry().unbind(name);
        context.getRegistry().bind(name, bean);
        if (context.getRegistry().lookupByName(name) != bean) {
            throw new IllegalStateException("bean '" + name + "' could not be replaced for the dry run");
        }
    }

    /** A monitor built by {@link #dryRun}; closing it stops it and deletes its scratch journal. */
    static final class DryRun implements AutoCloseable {

        private final Main main;
        private final Path scratch;

        DryRun(Main main, Path scratch) {
            this.main = main;
            this.scratch = scratch;
        }

        CamelContext start() {
            main.start();
            return main.getCamelContext();
        }

        @Override
        public void close() {
            try {
                main.stop();
            } finally {
                deleteRecursively(scratch);
            }
        }
    }

    /**
     * Starts the routes that only run when called ({@code direct:}): the checks, the routing rules, the sends. The
     * routes that run by themselves (the cron, the problem timer, the delivery threads) stay stopped.
     */
    static void startDirectRoutes(CamelContext context) throws Exception {
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().startsWith("direct:")) {
                context.getRouteController().startRoute(route.getRouteId());
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
