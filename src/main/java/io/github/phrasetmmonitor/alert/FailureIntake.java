package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.classify.TaskCheck;
import io.github.phrasetmmonitor.state.AlertState;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Routing;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Body;
import org.apache.camel.Variable;

/**
 * Hands what a poll found to the alert state: a failed task with the routing the rules in
 * {@code routes/alert-failed-task.camel.yaml} decided, or a task that succeeded (which resolves an alerted failure).
 * The routing is checked here, so a rule with a typo is reported by the line naming it instead of losing alerts.
 */
public final class FailureIntake {

    private static final Pattern WEBHOOK_NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private final AlertState state;
    private final Set<String> configuredChannels;

    /** @param configuredChannels the channels with settings: alert.channels and alert.fallback-channel */
    public FailureIntake(AlertState state, Set<String> configuredChannels) {
        this.state = state;
        this.configuredChannels = Set.copyOf(configuredChannels);
    }

    /** A failed task, to be alerted as routed; nothing changes when it is already known. */
    public boolean failed(@Body TaskCheck check, @Variable("alertChannels") String channels,
                          @Variable("slackWebhook") String slackWebhook, @Variable("emailTo") String emailTo) {
        return state.failed(FailureFacts.of(check), routing(channels, slackWebhook, emailTo));
    }

    /** A task that finished without error: resolves an unresolved failure of an earlier task of the same TM. */
    public void succeeded(@Body TaskCheck check) {
        state.succeeded(check.tmUid(), check.taskId(), check.action(),
                check.finishedAt() == null ? null : WHEN.format(check.finishedAt().atZoneSameInstant(ZoneOffset.UTC)));
    }

    /** @throws IllegalArgumentException naming the routing variable that is wrong */
    Routing routing(String channelList, String slackWebhook, String emailTo) {
        Set<String> channels = new LinkedHashSet<>();
        Arrays.stream(channelList == null ? new String[0] : channelList.split(","))
                .map(channel -> channel.trim().toLowerCase(Locale.ROOT))
                .filter(channel -> !channel.isEmpty())
                .forEach(channels::add);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("the routing rules gave this failure no channel (variable alertChannels)");
        }
        for (String channel : channels) {
            if (!configuredChannels.contains(channel)) {
                throw new IllegalArgumentException("a routing rule sends to channel '" + channel + "', which is not"
                        + " configured; use one of alert.channels or alert.fallback-channel: " + configuredChannels);
            }
        }
        String webhook = slackWebhook == null || slackWebhook.isBlank() ? Routing.DEFAULT_WEBHOOK : slackWebhook.trim();
        if (!WEBHOOK_NAME.matcher(webhook).matches()) {
            throw new IllegalArgumentException("a routing rule names Slack webhook '" + webhook + "'; use a short name"
                    + " (letters, digits, - or _) whose URL is set as alert.slack.webhook-url.<name>");
        }
        String recipients = emailTo == null ? "" : emailTo.trim();
        if (configuredChannels.contains("email")) {
            try {
                InternetAddress[] parsed = InternetAddress.parse(recipients, true);
                if (parsed.length == 0) {
                    throw new AddressException("no address");
                }
                recipients = String.join(",", Arrays.stream(parsed).map(InternetAddress::getAddress).toList());
            } catch (AddressException e) {
                throw new IllegalArgumentException("a routing rule gives email recipients that are not addresses"
                        + " (variable emailTo): " + e.getMessage());
            }
        }
        return new Routing(List.copyOf(channels), webhook, recipients);
    }
}
