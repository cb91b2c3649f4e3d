package io.github.phrasetmmonitor.settings;

import io.github.phrasetmmonitor.settings.Setting.Type;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.util.TimeUtils;
import org.quartz.CronExpression;

/**
 * Reads settings as their declarations ({@link SettingsCatalog}) say, in one pass: a value that is wrong is noted as a
 * problem naming its key, and the declared default (or a placeholder) stands in for it, so the reading goes on and
 * every problem is found at once. Start-up and validate both read through this; neither stops at the first problem.
 */
public final class SettingsReader {

    /** One thing wrong with the settings: the keys it is about (the first decides where it is) and what to do. */
    public record Problem(List<String> keys, String message) {

        public Problem {
            keys = List.copyOf(keys);
        }

        public Optional<String> key() {
            return keys.stream().findFirst();
        }
    }

    private final SettingsSource source;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    public SettingsReader(SettingsSource source) {
        this.source = source;
    }

    public SettingsSource source() {
        return source;
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** What is read but should be written otherwise (an old form of a value); each names the new form. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** Notes a problem about {@code keys} (the first is where it is reported). */
    public void problem(String message, String... keys) {
        problems.add(new Problem(List.of(keys), message));
    }

    /** Runs a check that throws {@link InvalidSettingsException}; its message becomes a problem about {@code key}. */
    public <T> T check(String key, Supplier<T> check, T instead) {
        try {
            return check.get();
        } catch (InvalidSettingsException e) {
            problem(e.getMessage(), key);
            return instead;
        }
    }

    /** Throws one {@link InvalidSettingsException} with every problem noted, when there is any. */
    public void requireNoProblems(SettingsOrigins origins) {
        if (hasProblems()) {
            throw new InvalidSettingsException(report(origins), problems());
        }
    }

    /** The problems, one a line, each with where its key's value comes from (file and line, or the variable). */
    public String report(SettingsOrigins origins) {
        List<String> lines = problems.stream().map(problem -> origins.prefix(problem.key()) + problem.message())
                .toList();
        return lines.size() == 1 ? lines.get(0) : lines.size() + " problems in the settings:\n    "
                + String.join("\n    ", lines);
    }

    // --- values, by their declared type ---------------------------------------------------------------------

    /** The trimmed value set, if any (blank is not set). */
    public Optional<String> value(String key) {
        declared(key);
        return source.value(key);
    }

    /** The value set, else the declared default. */
    public String text(String key) {
        return source.valueOr(key, declared(key).defaultValue());
    }

    public int count(String key) {
        Setting setting = declared(key, Type.COUNT);
        String text = text(key);
        try {
            int value = Integer.parseInt(text);
            if (value >= setting.min()) {
                return value;
            }
        } catch (NumberFormatException unreadable) {
            // noted below
        }
        problem(key + " '" + text + "' is not a whole number of at least " + setting.min(), key);
        return Integer.parseInt(setting.defaultValue());
    }

    public int port(String key) {
        Setting setting = declared(key, Type.PORT);
        String text = text(key);
        try {
            int port = Integer.parseInt(text);
            if (port >= setting.min() && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException unreadable) {
            // noted below
        }
        problem(key + " '" + text + "' is not a port number (" + setting.range() + ")", key);
        return Integer.parseInt(setting.defaultValue());
    }

    public boolean bool(String key) {
        Setting setting = declared(key, Type.BOOLEAN);
        String text = text(key).toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            problem(key + " '" + text + "' is neither true nor false", key);
            return Boolean.parseBoolean(setting.defaultValue());
        }
        return Boolean.parseBoolean(text);
    }

    /** A positive duration such as 10s; a bare number is the old form, read as milliseconds with a warning. */
    public Duration duration(String key) {
        Setting setting = declared(key, Type.DURATION);
        return duration(key, text(key)).orElseGet(() -> {
            problem(key + " '" + text(key) + "' is not a positive duration such as 10s or 2m", key);
            return setting.defaultValue().isEmpty() ? Duration.ofSeconds(1) : parse(setting.defaultValue());
        });
    }

    /** A positive duration whose default is empty: empty when not set. */
    public Optional<Duration> optionalDuration(String key) {
        declared(key, Type.DURATION);
        return value(key).isPresent() ? Optional.of(duration(key)) : Optional.empty();
    }

    /** A duration such as 24h; empty or 0 is off ({@link Duration#ZERO}). */
    public Duration durationOrOff(String key) {
        declared(key, Type.DURATION_OR_OFF);
        String text = source.valueOr(key, "0");
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        return duration(key, text).orElseGet(() -> {
            problem(key + " '" + text + "' is not a duration such as 24h or 30m (empty or 0: off)", key);
            return Duration.ZERO;
        });
    }

    /** A size of at least 1KB, such as 2MB. */
    public long size(String key) {
        Setting setting = declared(key, Type.SIZE);
        String text = text(key);
        try {
            long bytes = Sizes.parse(text);
            if (bytes >= 1024) {
                return bytes;
            }
        } catch (RuntimeException unreadable) {
            // noted below
        }
        problem(key + " '" + text + "' is not a size of at least 1KB such as 2MB or 512KB", key);
        return Sizes.parse(setting.defaultValue());
    }

    /** One of the declared choices, in lower case; empty when not set and the default is empty. */
    public Optional<String> choice(String key) {
        Setting setting = declared(key, Type.ENUM);
        Optional<String> value = Optional.of(text(key).toLowerCase(Locale.ROOT)).filter(text -> !text.isEmpty());
        if (value.isPresent() && !setting.choices().contains(value.get())) {
            problem(key + " '" + value.get() + "' is not one of " + String.join(", ", setting.choices()), key);
            return Optional.of(setting.defaultValue()).filter(text -> !text.isEmpty());
        }
        return value;
    }

    /** A channel's name, in lower case; empty when not set. Which channels exist is checked once routes/ is read. */
    public Optional<String> channel(String key) {
        declared(key, Type.CHANNEL);
        Optional<String> value = Optional.of(text(key).toLowerCase(Locale.ROOT)).filter(text -> !text.isEmpty());
        if (value.isPresent() && !AlertChannels.NAME.matcher(value.get()).matches()) {
            problem(key + " '" + value.get() + "' is not a channel name; use " + AlertChannels.choices(), key);
            return Optional.empty();
        }
        return value;
    }

    /** A comma-separated list, without blanks and repeats. */
    public List<String> list(String key) {
        Setting setting = declared(key);
        if (setting.type() != Type.LIST) {
            throw new IllegalArgumentException(key + " is declared as " + setting.type() + ", not a list");
        }
        return items(text(key));
    }

    public String cron(String key) {
        Setting setting = declared(key, Type.CRON);
        String cron = text(key);
        if (!CronExpression.isValidExpression(cron)) {
            problem(key + " '" + cron + "' is not a Quartz cron expression (seconds minutes hours day-of-month month"
                    + " day-of-week, e.g. 0 0/5 * * * ?)", key);
            return setting.defaultValue();
        }
        return cron;
    }

    /** An http(s) URL, checked without echoing it: some are secrets. {@code instead} stands in for a wrong one. */
    public String url(String key, String value, String instead) {
        declared(key, Type.URL);
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (IllegalArgumentException malformed) {
            // noted below, without the value
        }
        problem(key + " is not an http(s) URL", key);
        return instead;
    }

    /** Email addresses (one, or a comma-separated list), as the declaration says. */
    public void addresses(String key, String value) {
        Setting setting = declared(key);
        try {
            InternetAddress[] addresses = InternetAddress.parse(value, true);
            if (setting.type() == Type.ADDRESS && addresses.length != 1) {
                problem(key + " is not one email address", key);
            }
        } catch (AddressException e) {
            problem(key + " is not " + (setting.type() == Type.ADDRESS ? "an email address" : "a list of email"
                    + " addresses") + ": " + e.getMessage(), key);
        }
    }

    /** The value, or a problem that it is missing {@code because}; {@code instead} stands in for it. */
    public String required(String key, String because, String instead) {
        Optional<String> value = value(key);
        if (value.isEmpty()) {
            problem(key + " is not set but " + because + " (env " + SettingsCatalog.environmentName(key) + ")", key);
            return instead;
        }
        return value.get();
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private Optional<Duration> duration(String key, String text) {
        try {
            long millis = TimeUtils.toMilliSeconds(text);
            if (millis > 0) {
                if (text.chars().allMatch(Character::isDigit)) {
                    warnings.add(key + "=" + text + " is read as " + text + " milliseconds, the old form; write it as "
                            + newForm(millis));
                }
                return Optional.of(Duration.ofMillis(millis));
            }
        } catch (RuntimeException unreadable) {
            // the caller notes it
        }
        return Optional.empty();
    }

    private static String newForm(long millis) {
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static Duration parse(String duration) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(duration));
    }

    static List<String> items(String text) {
        return List.copyOf(Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
    }

    private static Setting declared(String key) {
        return SettingsCatalog.find(key).orElseThrow(() -> new IllegalArgumentException("setting " + key
                + " is not declared in SettingsCatalog"));
    }

    /** A key read as another type than declared is a programming error: the declaration is what ops read. */
    private static Setting declared(String key, Type type) {
        Setting setting = declared(key);
        if (setting.type() != type) {
            throw new IllegalArgumentException(key + " is declared as " + setting.type() + ", read as " + type);
        }
        return setting;
    }
}
