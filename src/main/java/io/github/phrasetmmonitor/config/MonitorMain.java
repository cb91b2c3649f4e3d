package io.github.phrasetmmonitor.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.main.Main;

/**
 * A Camel Main for the monitor from a deployment directory: {@code application.properties} (and
 * {@code application-<profile>.properties}) and the YAML routes are read from there, not from the jar, so ops edit
 * them in place. The application's entry point and the operator tools both start from here.
 */
public final class MonitorMain {

    private MonitorMain() {
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
}
