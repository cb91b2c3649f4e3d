package io.github.phrasetmmonitor.settings;

import java.util.List;

/** Settings are missing or unusable; the message names the key(s) and what to do, one line per problem. */
public class InvalidSettingsException extends RuntimeException {

    private final List<SettingsReader.Problem> problems;

    public InvalidSettingsException(String message) {
        this(message, List.of());
    }

    /** Every problem one reading of the settings found, each with its keys. */
    public InvalidSettingsException(String message, List<SettingsReader.Problem> problems) {
        super(message, null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<SettingsReader.Problem> problems() {
        return problems;
    }
}
