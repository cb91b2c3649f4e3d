package io.github.phrasetmmonitor.alert;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The channels of {@code alert.channels}; each channel route asks whether it is on. */
public record AlertChannels(Set<String> enabled) {

    public static final Set<String> KNOWN = Set.of("slack", "email");

    public AlertChannels {
        enabled = Set.copyOf(enabled);
    }

    /** @throws IllegalArgumentException naming the key and the offending value */
    public static AlertChannels parse(String text) {
        Set<String> channels = Arrays.stream(text == null ? new String[0] : text.split(","))
                .map(channel -> channel.trim().toLowerCase(Locale.ROOT))
                .filter(channel -> !channel.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("alert.channels is empty; set slack, email or slack,email");
        }
        for (String channel : channels) {
            if (!KNOWN.contains(channel)) {
                throw new IllegalArgumentException("alert.channels has '" + channel
                        + "', which is not a channel; use slack, email or slack,email");
            }
        }
        return new AlertChannels(channels);
    }

    public boolean isEnabled(String channel) {
        return enabled.contains(channel);
    }
}
