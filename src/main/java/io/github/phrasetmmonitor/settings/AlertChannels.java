package io.github.phrasetmmonitor.settings;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The channels of {@code alert.channels}; each channel route asks whether it is on. */
public record AlertChannels(Set<String> enabled) {

    /** Every channel the monitor has, by the name its alert channel (alert.AlertChannel) gives. */
    public static final String SLACK = "slack";
    public static final String EMAIL = "email";
    public static final Set<String> KNOWN = Set.of(SLACK, EMAIL);

    public AlertChannels {
        enabled = Set.copyOf(enabled);
    }

    /** @throws IllegalArgumentException naming the key and the offending value */
    public static AlertChannels parse(String text) {
        Set<String> channels = names(text);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("alert.channels is empty; set " + choices());
        }
        for (String channel : channels) {
            if (!KNOWN.contains(channel)) {
                throw new IllegalArgumentException("alert.channels has '" + channel
                        + "', which is not a channel; use " + choices());
            }
        }
        return new AlertChannels(channels);
    }

    /** The channel names of a comma-separated list, trimmed and lower case, in order, each once. */
    public static Set<String> names(String text) {
        return Arrays.stream(text == null ? new String[0] : text.split(","))
                .map(channel -> channel.trim().toLowerCase(Locale.ROOT))
                .filter(channel -> !channel.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String choices() {
        return SLACK + ", " + EMAIL + " or " + SLACK + "," + EMAIL;
    }

    public boolean isEnabled(String channel) {
        return enabled.contains(channel);
    }
}
