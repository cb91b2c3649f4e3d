package io.github.phrasetmmonitor.alert;

import com.slack.api.model.Message;
import io.github.phrasetmmonitor.state.Incident;

/**
 * How the route {@code send-slack-alert} hands a composed message to Slack: through incoming webhooks
 * ({@link SlackWebhooks}), or, with a bot token, through Slack's Web API ({@link SlackWebApi}), which threads the
 * reminders and the resolved notice under the alert. The monitor binds the one in force as bean {@code slack}.
 */
public interface SlackSender {

    /**
     * Sends the message of {@code notice}; fails with an {@link AlertDeliveryException} unless Slack took it.
     *
     * @return the Slack message an alert or digest became, for its thread; null when there is none to keep (a
     *         webhook, a reminder, a resolved notice)
     */
    Incident.MessageId send(Notice notice, Message message);

    /**
     * Posts a message about no incident (a scheduled summary) to {@code destination}, a webhook's or (app mode) a
     * channel's name, as a message of its own; fails with an {@link AlertDeliveryException} unless Slack took it.
     */
    void postMessage(String destination, Message message);
}
