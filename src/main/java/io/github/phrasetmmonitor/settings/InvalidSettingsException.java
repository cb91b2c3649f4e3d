package io.github.phrasetmmonitor.settings;

/** A setting is missing or unusable; the message names the key(s) and what to do, in one line. */
public class InvalidSettingsException extends RuntimeException {

    public InvalidSettingsException(String message) {
        super(message, null, false, false);
    }
}
