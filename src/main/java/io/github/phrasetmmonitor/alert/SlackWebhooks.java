package io.github.phrasetmmonitor.alert;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.slack.api.model.Message;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.util.json.GsonBlockElementFactory;
import com.slack.api.util.json.GsonContextBlockElementFactory;
import com.slack.api.util.json.GsonLayoutBlockFactory;
import com.slack.api.util.json.GsonTextObjectFactory;
import com.slack.api.webhook.Payload;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import io.github.phrasetmmonitor.net.AnswerTooLargeException;
import io.github.phrasetmmonitor.net.CallTimeoutException;
import io.github.phrasetmmonitor.net.HttpGuard;
import io.github.phrasetmmonitor.net.TlsFailure;
import io.github.phrasetmmonitor.net.UnreadableAnswerException;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.text.SafeText;

/**
 * Posts messages to Slack incoming webhooks and fails unless Slack answered 2xx. The default webhook is
 * {@code alert.slack.webhook-url}; a routing rule may name another, whose URL is {@code alert.slack.webhook-url.<name>}
 * (env {@code ALERT_SLACK_WEBHOOK_URL_<NAME>}).
 *
 * <p>Failures say whether a retry can help: a 5xx or a timeout can, a 429 can after its {@code Retry-After} (until
 * then this webhook is not called again), any other answer cannot, nor can a certificate that is not trusted or names
 * another host (one line says which, and which setting fixes it).
 *
 * <p>Why not camel-slack's webhook producer: in Camel 4.18 it signals completion before it records a non-2xx answer
 * (SlackProducer.sendMessageByWebhookURL calls the callback, then sets the exception), so an alert Slack refused is
 * seen as delivered and recorded as sent. The message model is still Slack's own (slack-api-model).
 *
 * <p>Webhook URLs are secrets: they appear in no exception, log line or toString; only their names do.
 */
public final class SlackWebhooks implements SlackSender {

    /**
     * Slack's own field names ({@code block_id}, {@code thread_ts}, {@code image_url}), written the way Slack's SDK
     * writes them (GsonFactory.createSnakeCase of slack-api-client, which this build does not carry): snake_case, with
     * slack-api-model's adapters for the Block Kit interfaces. Gson's HTML escaping is off: the composer already
     * escapes what Slack parses ({@code &}, {@code <}, {@code >}).
     */
    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .registerTypeAdapter(LayoutBlock.class, new GsonLayoutBlockFactory())
            .registerTypeAdapter(TextObject.class, new GsonTextObjectFactory())
            .registerTypeAdapter(ContextBlockElement.class, new GsonContextBlockElementFactory())
            .registerTypeAdapter(BlockElement.class, new GsonBlockElementFactory())
            .disableHtmlEscaping()
            .create();
    /** Slack's 429 without a readable Retry-After: wait this long. */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final Function<String, Optional<String>> urlOfName;
    private final Clock clock;
    private final SlackHttp http;
    private final Map<String, URI> urls = new ConcurrentHashMap<>();
    private final Map<String, Instant> quietUntil = new ConcurrentHashMap<>();

    /**
     * @param urlOfName the URL of a webhook name ("default" included), empty when not configured
     * @param http      Slack's camel-http endpoints, each post bounded by {@code alert.slack.timeout}
     */
    public SlackWebhooks(Function<String, Optional<String>> urlOfName, SlackHttp http, Clock clock) {
        this.urlOfName = urlOfName;
        this.clock = clock;
        this.http = http;
    }

    /** Posts the composed message to the webhook the notice is for. */
    public void post(@Variable("notice") Notice notice, @Body Message message) {
        post(notice.destination(), message);
    }

    /** A webhook answers "ok" and no message id: nothing to thread under. */
    @Override
    public io.github.phrasetmmonitor.state.Incident.MessageId send(Notice notice, Message message) {
        post(notice.destination(), message);
        return null;
    }

    @Override
    public void postMessage(String destination, Message message) {
        post(destination, message);
    }

    public void post(String webhookName, Message message) {
        URI webhook = urls.computeIfAbsent(webhookName, this::resolve);
        Instant until = quietUntil.get(webhookName);
        Instant now = clock.instant();
        if (until != null && now.isBefore(until)) {
            throw new AlertDeliveryException("Slack asked to wait (HTTP 429) until " + until + " before posting to"
                    + " webhook '" + webhookName + "' again", AlertDeliveryException.Retry.WAIT,
                    Duration.between(now, until));
        }
        SlackHttp.Answer response;
        try {
            response = http.postToWebhook(webhook, json(message), "POST to Slack webhook '" + webhookName + "'");
        } catch (CallTimeoutException e) {
            throw new AlertDeliveryException("Slack webhook '" + webhookName + "' did not answer within "
                    + HttpGuard.describe(http.timeout()) + " (alert.slack.timeout)",
                    AlertDeliveryException.Retry.TRANSIENT, null);
        } catch (AnswerTooLargeException | UnreadableAnswerException e) {
            throw new AlertDeliveryException("Slack webhook '" + webhookName + "': " + e.getMessage(),
                    AlertDeliveryException.Retry.FINAL, null);
        } catch (IOException e) {
            Optional<TlsFailure> certificate = TlsFailure.of(e);
            if (certificate.isPresent()) {
                // the next attempt would meet the same certificate: not retried within the round
                throw new AlertDeliveryException("Slack webhook '" + webhookName + "': " + certificate.get()
                        .describe("the webhook's server", webhookKey(webhookName)) + " (not retried in this round)",
                        AlertDeliveryException.Retry.FINAL, null);
            }
            throw new AlertDeliveryException("Slack webhook '" + webhookName + "' unreachable: "
                    + e.getClass().getSimpleName(), AlertDeliveryException.Retry.TRANSIENT, null);
        }
        int status = response.status();
        if (status / 100 == 2) {
            quietUntil.remove(webhookName);
            return;
        }
        // 120 characters of what Slack said, then the cut mark
        String said = response.body() == null ? "" : SafeText.line(response.body(), 121);
        String text = "Slack answered HTTP " + status + (said.isEmpty() ? "" : ": " + said);
        if (status == 429) {
            Duration wait = retryAfter(response.retryAfter(), now);
            quietUntil.put(webhookName, now.plus(wait));
            throw new AlertDeliveryException(text + " (Retry-After " + wait.toSeconds() + "s)",
                    AlertDeliveryException.Retry.WAIT, wait);
        }
        throw new AlertDeliveryException(text, status >= 500 ? AlertDeliveryException.Retry.TRANSIENT
                : AlertDeliveryException.Retry.FINAL, null);
    }

    /**
     * The body of the webhook post: the parts of the message an incoming webhook takes, as slack-api-model's webhook
     * {@link Payload}. A {@link Message} also models what Slack's history API returns, with flags that would be sent
     * as {@code false} ({@code unfurl_media}, {@code display_as_bot}, ...) and change how Slack shows the alert.
     */
    static String json(Message message) {
        return GSON.toJson(Payload.builder()
                .text(message.getText())
                .blocks(message.getBlocks())
                .attachments(message.getAttachments())
                .threadTs(message.getThreadTs())
                .metadata(message.getMetadata())
                .build());
    }

    /**
     * The same message as a JSON object, for Slack's Web API (chat.postMessage, chat.update), which takes the fields
     * of a webhook post and more ({@code channel}, {@code ts}).
     */
    static com.google.gson.JsonObject jsonObject(Message message) {
        return com.google.gson.JsonParser.parseString(json(message)).getAsJsonObject();
    }

    /** Slack's Web API bodies, written like the webhook's (snake_case, no HTML escaping). */
    static String json(com.google.gson.JsonObject body) {
        return GSON.toJson(body);
    }

    /** Retry-After is seconds or an HTTP date; anything else, or nothing, means one second. */
    public static Duration retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty() || header.get().isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        String value = header.get().strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds <= 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (RuntimeException notADate) {
                return DEFAULT_RETRY_AFTER;
            }
        }
    }

    /** The setting that holds the URL of a webhook name. */
    private static String webhookKey(String webhookName) {
        return Routing.DEFAULT_WEBHOOK.equals(webhookName) ? "alert.slack.webhook-url"
                : "alert.slack.webhook-url." + webhookName;
    }

    private URI resolve(String webhookName) {
        String key = webhookKey(webhookName);
        String env = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        String url = urlOfName.apply(webhookName).orElseThrow(() -> new AlertDeliveryException(
                "Slack webhook '" + webhookName + "' is not configured: set " + key + " (env " + env + ")"));
        try {
            URI uri = URI.create(url.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException malformed) {
            // reported below, without the URL
        }
        throw new AlertDeliveryException(key + " is not an http(s) URL");
    }

    @Override
    public String toString() {
        return "SlackWebhooks[****]";
    }
}
