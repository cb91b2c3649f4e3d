package io.github.phrasetmmonitor.state;

import java.util.List;
import java.util.Objects;

/**
 * Who is told about one failure, as the routing rules in {@code routes/alert-failed-task.camel.yaml} decided: the
 * channels, the Slack webhook by name (its URL is a secret and stays in the settings) and the email recipients.
 * Kept with the failure, so its reminders, retries and resolved notice go to the same people.
 */
public record Routing(List<String> channels, String slackWebhook, String emailTo) {

    public static final String DEFAULT_WEBHOOK = "default";

    public Routing {
        channels = List.copyOf(channels);
        Objects.requireNonNull(slackWebhook, "slackWebhook");
        Objects.requireNonNull(emailTo, "emailTo");
    }

    /** Where a notice on {@code channel} goes: the webhook's name for Slack, the recipients for email. */
    public String destination(String channel) {
        return switch (channel) {
            case "slack" -> slackWebhook;
            case "email" -> emailTo;
            default -> throw new IllegalArgumentException("no channel '" + channel + "'");
        };
    }
}
