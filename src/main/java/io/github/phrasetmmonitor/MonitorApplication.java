package io.github.phrasetmmonitor;

import io.github.phrasetmmonitor.config.MonitorConfiguration;
import io.github.phrasetmmonitor.tools.OperatorTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the monitor from the current directory: {@code application.properties} (and
 * {@code application-<profile>.properties} for {@code --profile <profile>}) and the YAML routes are read from there,
 * not from the jar, so ops edit them in place.
 */
public final class MonitorApplication {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorApplication.class);
    static final String PROFILE_ENV = "CAMEL_MAIN_PROFILE";

    private MonitorApplication() {
    }

    public static void main(String[] args) {
        if (OperatorTools.isTool(args)) {
            // validate, explain, test-alert: run once and exit with their verdict
            OperatorTools.quietLogs();
            System.exit(new OperatorTools().run(args, System.out, System.err));
        }
        Optional<String> profile = profileFrom(args);
        if (profile.isEmpty() && args.length > 0) {
            System.err.println("usage: java -jar phrase-tm-monitor.jar [--profile <name>]");
            System.err.println(OperatorTools.USAGE);
            System.exit(2);
        }
        try {
            Main main = create(profile.or(() -> Optional.ofNullable(System.getenv(PROFILE_ENV))), Map.of());
            main.run();
            System.exit(main.getExitCode());
        } catch (Exception e) {
            String reason = StartupFailure.describe(e);
            LOG.error("phrase-tm-monitor cannot start: {}", reason);
            System.exit(1);
        }
    }

    /**
     * A monitor configured from the current directory, not yet started. {@code overrides} take precedence over the
     * properties files; tests use them for ports and directories.
     */
    public static Main create(Optional<String> profile, Map<String, String> overrides) {
        Main main = configured(profile, overrides);
        main.configure().addConfiguration(MonitorConfiguration.class);
        return main;
    }

    /** As {@link #create(Optional, Map)}, with this configuration of the monitor (the operator tools pin settings). */
    public static Main create(Optional<String> profile, Map<String, String> overrides,
                              MonitorConfiguration configuration) {
        Main main = configured(profile, overrides);
        main.configure().addConfiguration(configuration);
        return main;
    }

    private static Main configured(Optional<String> profile, Map<String, String> overrides) {
        Main main = new Main();
        List<String> locations = propertyLocations(profile);
        profile.ifPresent(name -> main.configure().withProfile(name));
        main.setPropertyPlaceholderLocations(String.join(",", locations));
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /**
     * Where the settings are read from, as Camel property locations: {@code application-<profile>.properties} first
     * (the first location that defines a key wins), then {@code application.properties}. The operator tools read the
     * same files the same way.
     */
    public static List<String> propertyLocations(Optional<String> profile) {
        return propertyLocations(Path.of(""), profile);
    }

    /** As {@link #propertyLocations(Optional)}, for the deployment directory {@code dir}. */
    public static List<String> propertyLocations(Path dir, Optional<String> profile) {
        Path properties = dir.resolve("application.properties");
        if (!Files.isRegularFile(properties)) {
            throw new IllegalStateException(properties.toAbsolutePath() + " is missing: run the monitor from the"
                    + " directory that holds application.properties and routes/");
        }
        List<String> locations = new ArrayList<>();
        profile.ifPresent(name -> {
            Path profileFile = dir.resolve("application-" + name + ".properties");
            if (!Files.isRegularFile(profileFile)) {
                throw new IllegalStateException("profile '" + name + "' has no " + profileFile.toAbsolutePath());
            }
            locations.add("file:" + profileFile);
        });
        locations.add("file:" + properties);
        return locations;
    }

    static Optional<String> profileFrom(String[] args) {
        if (args.length == 2 && ("--profile".equals(args[0]) || "-profile".equals(args[0]))) {
            return Optional.of(args[1]);
        }
        return Optional.empty();
    }
}
