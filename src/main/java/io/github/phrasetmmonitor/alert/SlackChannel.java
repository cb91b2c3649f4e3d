package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.settings.AlertChannels;
import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.logging.OneLine;
import io.github.phrasetmmonitor.state.Routing;
import java.util.regex.Pattern;

/**
 * Slack through incoming webhooks ({@link SlackWebhooks}), or with a bot token through Slack's Web API
 * ({@link SlackWebApi}). A routing rule names a webhook (variable {@code slackWebhook}); its URL is the secret
 * {@code alert.slack.webhook-url.<name>}; in app mode the name picks the channel {@code alert.slack.channel.<name>}. A 5xx answer or a timeout is
 * worth a retry, a 429 after its {@code Retry-After}, any other answer is final, and so is a certificate that is not
 * trusted or names another host ({@link SlackWebhooks}).
 */
public final class SlackChannel implements AlertChannel {

    public static final String NAME = AlertChannels.SLACK;
    private static final Pattern WEBHOOK_NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String routingVariable() {
        return "slackWebhook";
    }

    @Override
    public String defaultDestination() {
        return Routing.DEFAULT_WEBHOOK;
    }

    @Override
    public String destination(String chosen) {
        String webhook = chosen == null || chosen.isBlank() ? Routing.DEFAULT_WEBHOOK : chosen.trim();
        if (!WEBHOOK_NAME.matcher(webhook).matches()) {
            throw new IllegalArgumentException("a routing rule names Slack webhook '" + webhook + "'; use a short name"
                    + " (letters, digits, - or _) whose URL is set as alert.slack.webhook-url.<name>");
        }
        return webhook;
    }

    /**
     * The sender's verdict, found under whatever Camel wraps it in: a send called from an expression (a
     * {@code setVariable} with a {@code method}) fails with a RuntimeBeanExpressionException around it.
     */
    @Override
    public Verdict verdict(Throwable failure) {
        return Causes.find(failure, AlertDeliveryException.class).map(AlertDeliveryException::verdict)
                .orElse(Verdict.FINAL);
    }

    @Override
    public String describe(Throwable failure) {
        return Causes.find(failure, AlertDeliveryException.class).map(Throwable::getMessage)
                .orElseGet(() -> OneLine.fold(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
    }
}
