package io.github.phrasetmmonitor.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Where the value in force of a key comes from, as Camel resolves it: a value pinned or overridden (tests, the
 * operator tools), else an environment variable, else the first properties file that sets it (the profile's before
 * application.properties), else the declared default. Start-up shows it beside each setting; problems are reported
 * with it, e.g. {@code application.properties:97}.
 *
 * @param files       the properties files in the order Camel reads them, the first that sets a key winning; each as
 *                    it is shown and where it is read
 * @param overridden  keys whose value is pinned or overridden in the code, not read from the files or the environment
 * @param environment the environment variables
 */
public record SettingsOrigins(List<File> files, Predicate<String> overridden, Function<String, String> environment) {

    /** A properties file: the name it is shown by, and its path. */
    public record File(String name, Path path) {
    }

    /** No files, nothing overridden: only the environment, for unit tests and sources built in code. */
    public static SettingsOrigins none() {
        return new SettingsOrigins(List.of(), key -> false, name -> null);
    }

    public SettingsOrigins {
        files = List.copyOf(files);
    }

    /** "override", "env NAME", "file:line", or "default". */
    public String of(String key) {
        if (overridden.test(key)) {
            return "override";
        }
        String variable = SettingsCatalog.environmentName(key);
        if (environment.apply(variable) != null) {
            return "env " + variable;
        }
        return fileLine(key).orElse("default");
    }

    /** As a problem's prefix: "application.properties:97: ", "env ALERT_CHANNELS: ", or nothing. */
    public String prefix(Optional<String> key) {
        if (key.isEmpty()) {
            return "";
        }
        String origin = of(key.get());
        return origin.equals("default") || origin.equals("override") ? "" : origin + ": ";
    }

    private Optional<String> fileLine(String key) {
        Pattern line = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:]");
        for (File file : files) {
            try {
                List<String> lines = new ArrayList<>(Files.readAllLines(file.path()));
                for (int i = 0; i < lines.size(); i++) {
                    if (line.matcher(lines.get(i)).find()) {
                        return Optional.of(file.name() + ":" + (i + 1));
                    }
                }
            } catch (IOException unreadable) {
                // Camel reports an unreadable file on its own
            }
        }
        return Optional.empty();
    }
}
