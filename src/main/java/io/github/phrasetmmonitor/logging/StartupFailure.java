package io.github.phrasetmmonitor.logging;

import io.github.phrasetmmonitor.settings.InvalidSettingsException;
import java.util.List;

/**
 * Reduces a start-up exception chain to the one line ops need: the innermost cause that names the problem, for
 * example the routes file and line that does not parse, or the property that is missing.
 */
public final class StartupFailure {

    private StartupFailure() {
    }

    public static String describe(Throwable failure) {
        List<Throwable> chain = Causes.of(failure);
        for (Throwable t : chain) {
            if (t instanceof InvalidSettingsException) {
                return t.getMessage();
            }
        }
        for (Throwable t : chain) {
            String message = t.getMessage();
            if (message != null && message.contains("Property with key")) {
                return oneLine(message.substring(message.indexOf("Property with key")));
            }
        }
        for (Throwable t : chain) {
            String name = t.getClass().getName();
            if (name.contains("yaml") || name.contains("Yaml") || name.contains("snakeyaml")) {
                return oneLine(t.getMessage());
            }
        }
        Throwable root = chain.get(chain.size() - 1);
        return oneLine(root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    /** The text on one line: each line break, with the blanks around it, becomes " | ". */
    public static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " | ").strip();
    }
}
