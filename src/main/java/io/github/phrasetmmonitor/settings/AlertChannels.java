package io.github.phrasetmmonitor.settings;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The channels of {@code alert.channels}. A channel is a file {@code routes/channel-<name>.camel.yaml}; which names
 * exist is known once the routes are read (config.ChannelRoutes), so here a name is only checked for its form.
 */
public record AlertChannels(Set<String> enabled) {

    /** The two channels whose settings are typed in the catalog (alert.slack.*, alert.email.*). */
    public static final String SLACK = "slack";
    public static final String EMAIL = "email";
    /** A channel's name: it is also part of its route ids, its template files and its settings' keys. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");

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
            if (!NAME.matcher(channel).matches()) {
                throw new IllegalArgumentException("alert.channels has '" + channel
                        + "', which is not a channel name; use " + choices());
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

    /** What the two channel settings take, in words. */
    public static String choices() {
        return "names of channels (routes/channel-<name>.camel.yaml): slack, email, or another such as"
                + " slack,pagerduty";
    }

    public boolean isEnabled(String channel) {
        return enabled.contains(channel);
    }
}
