package io.github.phrasetmmonitor.tools;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of {@code validate}, for a running monitor about to reload its configuration: the same reading of the
 * deployment directory (settings, route files, templates, routing rules, channels) and the same one line per
 * problem, naming the file (and line) or the key. Contacts nothing and writes nothing.
 */
public final class ConfigurationCheck {

    private ConfigurationCheck() {
    }

    /** What the checks found. */
    public record Findings(List<String> problems, List<String> warnings) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * @param dir       the deployment directory
     * @param overrides settings that win over the files and the environment, as for the running monitor
     */
    public static Findings of(Path dir, Optional<String> profile, Map<String, String> overrides) {
        ValidateTool.Findings found = new ValidateTool(new Deployment(dir, profile, overrides)).check();
        return new Findings(found.problems(), found.warnings());
    }
}
