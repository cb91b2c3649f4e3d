package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.net.HttpAnswers;
import io.github.phrasetmmonitor.net.HttpGuard;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Posts JSON to Slack through the camel-http endpoints of routes/engine/channel-slack.camel.yaml, each call bounded by
 * {@code alert.slack.timeout} from the request to the answer's last byte and by monitor.max-answer-size
 * ({@link HttpGuard}). A webhook's URL is a secret: it travels in the CamelHttpUri header of one exchange, never in
 * an endpoint's URI.
 */
public final class SlackHttp {

    /** What Slack answered: the status, the body as text, its Retry-After if any. */
    public record Answer(int status, String body, Optional<String> retryAfter) {
    }

    private final ProducerTemplate template;
    private final Duration timeout;

    /** @param timeout the most one call may take, Slack's answer included ({@code alert.slack.timeout}) */
    public SlackHttp(ProducerTemplate template, Duration timeout) {
        this.template = template;
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * @param what names the call in errors, never with the webhook's URL
     * @throws io.github.phrasetmmonitor.net.CallTimeoutException Slack did not answer within the timeout
     * @throws IOException no answer: connection refused or reset, TLS refused
     * @throws io.github.phrasetmmonitor.net.AnswerTooLargeException the answer is larger than the limit
     */
    Answer postToWebhook(URI webhook, String json, String what) throws IOException {
        return send("direct:slack-webhook-post", json, what, message -> message.setHeader(Exchange.HTTP_URI,
                webhook.toString()));
    }

    /** A Web API method ({@code chat.postMessage}) with the bot token; see {@link #postToWebhook}. */
    Answer callWebApi(String method, String json, String token, String what) throws IOException {
        return send("direct:slack-api-call", json, what, message -> {
            message.setHeader(Exchange.HTTP_PATH, method);
            message.setHeader("Authorization", "Bearer " + token);
        });
    }

    private Answer send(String route, String json, String what,
                        java.util.function.Consumer<org.apache.camel.Message> target) throws IOException {
        Exchange done = template.send(route, exchange -> {
            exchange.getMessage().setBody(json);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
            target.accept(exchange.getMessage());
            exchange.setProperty(HttpGuard.DEADLINE, timeout);
            exchange.setProperty(HttpGuard.CALL, what);
        });
        HttpAnswers.throwFailure(done);
        return new Answer(HttpAnswers.status(done), HttpAnswers.text(done),
                Optional.ofNullable(done.getMessage().getHeader("Retry-After", String.class)));
    }

    @Override
    public String toString() {
        return "SlackHttp[timeout=" + timeout + "]";
    }
}
