package io.github.phrasetmmonitor.settings;

import java.util.Optional;

/** Where settings come from: application.properties, its profile file, environment variables. */
@FunctionalInterface
public interface SettingsSource {

    Optional<String> lookup(String key);

    /** The trimmed value, or empty when the key is unset or blank. */
    default Optional<String> value(String key) {
        return lookup(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    default String valueOr(String key, String defaultValue) {
        return value(key).orElse(defaultValue);
    }
}
