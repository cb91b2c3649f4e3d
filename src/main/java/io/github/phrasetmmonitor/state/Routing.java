package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who is told about one incident, as the routing rules in {@code routes/alert-routing.camel.yaml} decided: the
 * channels, and per channel its destination (the Slack webhook by name, whose URL is a secret and stays in the
 * settings; the email recipients). Kept with the incident, so its reminders, retries and resolved notice go to the
 * same people.
 */
public record Routing(List<String> channels, Map<String, String> destinations) {

    public static final String DEFAULT_WEBHOOK = "default";

    public Routing {
        channels = List.copyOf(channels);
        destinations = Map.copyOf(destinations);
        for (String channel : channels) {
            Objects.requireNonNull(destinations.get(channel), () -> "no destination for channel " + channel);
        }
    }

    /** Reads the routing as this release writes it, and as 0.x releases wrote it (slackWebhook, emailTo). */
    @JsonCreator
    static Routing fromJournal(@JsonProperty("channels") List<String> channels,
                               @JsonProperty("destinations") Map<String, String> destinations,
                               @JsonProperty("slackWebhook") String slackWebhook,
                               @JsonProperty("emailTo") String emailTo) {
        Map<String, String> where = new LinkedHashMap<>();
        if (slackWebhook != null) {
            where.put("slack", slackWebhook);
        }
        if (emailTo != null) {
            where.put("email", emailTo);
        }
        if (destinations != null) {
            where.putAll(destinations);
        }
        return new Routing(channels == null ? List.of() : channels, where);
    }

    /** Where a notice on {@code channel} goes: the webhook's name for Slack, the recipients for email. */
    public String destination(String channel) {
        String destination = destinations.get(channel);
        if (destination == null) {
            throw new IllegalArgumentException("no channel '" + channel + "' in this routing");
        }
        return destination;
    }
}
