package io.github.phrasetmmonitor.settings;

import java.util.List;

/**
 * One setting, declared once in {@link SettingsCatalog}: everything else (the parsing and start-up checks, validate,
 * the masking of secrets, the start-up summary, application.properties and docs/configuration.md) is derived from
 * this or checked against it by a test.
 *
 * @param key          the key in application.properties
 * @param type         what the value is, and so how it is read and checked
 * @param defaultValue the value in force when the key is not set; empty means "not set"
 * @param min          the least a {@link Type#COUNT} or {@link Type#PORT} may be
 * @param choices      the values an {@link Type#ENUM} may take
 * @param secret       its value never reaches a log, a message, state or metrics; set it in the environment
 * @param reloadable   whether a change takes effect without a restart (none does yet: settings are read at start)
 * @param meaning      what it means, in one paragraph: the same text in application.properties and the reference
 */
public record Setting(String key, Type type, String defaultValue, long min, List<String> choices, boolean secret,
                      boolean reloadable, String meaning) {

    public Setting {
        choices = List.copyOf(choices);
    }

    /** What a value is; the words and the unit the reference shows. */
    public enum Type {
        TEXT("text", ""),
        URL("http(s) URL", ""),
        URL_TEMPLATE("http(s) URL with {tmUid}, or off", ""),
        JDBC_URL("PostgreSQL JDBC URL", ""),
        DURATION("duration", "500ms, 10s, 2m, 1h, 1d"),
        DURATION_OR_OFF("duration or off", "500ms, 10s, 2m, 1h, 1d; empty or 0: off"),
        SIZE("size", "bytes, KB, MB, GB"),
        COUNT("whole number", ""),
        PORT("port", ""),
        BOOLEAN("true or false", ""),
        ENUM("one of", ""),
        LIST("comma-separated list", ""),
        CHANNEL("channel name", ""),
        CHANNEL_LIST("comma-separated channel names", ""),
        ADDRESS("email address", ""),
        ADDRESS_LIST("email addresses, comma-separated", ""),
        CRON("Quartz cron", "seconds minutes hours day-of-month month day-of-week"),
        PATH("path", "relative to the working directory");

        private final String words;
        private final String unit;

        Type(String words, String unit) {
            this.words = words;
            this.unit = unit;
        }

        public String words() {
            return words;
        }

        public String unit() {
            return unit;
        }
    }

    /** The environment variable Camel also reads for this key: upper case, dots and dashes as underscores. */
    public String environmentName() {
        return SettingsCatalog.environmentName(key);
    }

    /** The range or the choices, as the reference shows them; empty when any value of the type will do. */
    public String range() {
        return switch (type) {
            case COUNT -> "at least " + min;
            case PORT -> min + "-65535";
            case ENUM -> String.join(", ", choices);
            case CHANNEL, CHANNEL_LIST -> "slack, email, or any channel of routes/channel-<name>.camel.yaml";
            case DURATION -> "more than 0";
            case SIZE -> "at least 1KB";
            default -> "";
        };
    }
}
