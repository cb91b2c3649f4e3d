package io.github.phrasetmmonitor.alert;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.model.Message;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import io.github.phrasetmmonitor.net.AnswerTooLargeException;
import io.github.phrasetmmonitor.net.CallTimeoutException;
import io.github.phrasetmmonitor.net.HttpGuard;
import io.github.phrasetmmonitor.net.TlsFailure;
import io.github.phrasetmmonitor.net.UnreadableAnswerException;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.text.SafeText;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack app mode: posts with a bot token through Slack's Web API, so that an incident's messages stay together. An
 * alert (or a digest) is a message ({@code chat.postMessage}) whose channel id and {@code ts} are kept with the
 * incident; its reminders and its resolved notice are replies in that message's thread ({@code thread_ts}), and when
 * it is resolved the alert itself is edited ({@code chat.update}) to say so and when, headed by slack-alert's
 * {@code resolvedHeader}.
 *
 * <ul>
 *   <li>A digest is the thread of every incident it lists: their reminders and resolved notices reply there. It is
 *       not edited: one of its incidents being resolved does not resolve the others, and in a storm one edit per
 *       incident would be thousands of calls to a method Slack limits to about 50 a minute.</li>
 *   <li>A reminder or resolved notice of several incidents at once (above {@code alert.digest-threshold}) replies in
 *       their thread when they share one (they came in one digest); otherwise it is a message of its own, as is a
 *       notice of an incident with no recorded message (alerted through a webhook before the bot token was set).</li>
 *   <li>The resolved alert is edited before the reply is posted: the edit can be repeated harmlessly if the reply
 *       then fails and is retried, a reply could not. An alert Slack no longer has (deleted) is not edited; the
 *       reply still goes.</li>
 * </ul>
 *
 * <p>Slack answers most errors with HTTP 200 and {@code "ok": false}: both are checked. HTTP 429 or
 * {@code ratelimited} waits for {@code Retry-After} (until then this method is not called again); Slack's own
 * trouble ({@code internal_error}, 5xx, a timeout) may work at once; anything else ({@code invalid_auth},
 * {@code channel_not_found}, {@code not_in_channel}, ...) is final, in one line that says what to fix.
 *
 * <p>Routing rules name Slack destinations as they do for webhooks ({@code slackWebhook}): "default" is
 * {@code alert.slack.channel}, another name {@code alert.slack.channel.<name>}. The token is a secret: it is sent
 * in the Authorization header only, and appears in no exception, log line or toString.
 *
 * <p>Why not slack-api-client: the calls go through camel-http ({@link SlackHttp}), which bounds each call's time
 * and answer size and goes through the configured proxy and trust store, as the webhook posts do; two methods need
 * no SDK.
 */
public final class SlackWebApi implements SlackSender {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.alert");
    static final String POST_MESSAGE = "chat.postMessage";
    static final String UPDATE = "chat.update";
    /** Slack's errors that are its own trouble: trying again may work. */
    private static final Set<String> TRANSIENT = Set.of("internal_error", "fatal_error", "service_unavailable",
            "request_timeout");
    /** chat.update errors for an alert Slack no longer has, or will not edit: the reply goes anyway. */
    private static final Set<String> NOT_EDITABLE = Set.of("message_not_found", "cant_update_message",
            "edit_window_closed");

    private final URI apiBase;
    private final String token;
    private final Function<String, Optional<String>> channelOfName;
    private final SlackAlertComposer composer;
    private final SlackHttp http;
    private final Clock clock;
    /** Per Web API method (Slack rate-limits each on its own): no call before this instant. */
    private final Map<String, Instant> quietUntil = new ConcurrentHashMap<>();

    /** What Slack answered a successful call: the channel id and the message's ts. */
    record Answer(String channel, String ts) {
    }

    /**
     * @param apiBase       Slack's Web API root ({@code alert.slack.api-url}), e.g. https://slack.com/api
     * @param token         the bot token ({@code alert.slack.bot-token}), a secret
     * @param channelOfName the Slack channel of a routing name ("default" included), empty when not configured
     * @param composer      composes the original alert again, to edit it when it is resolved
     * @param http          Slack's camel-http endpoints, each call bounded by {@code alert.slack.timeout}
     */
    public SlackWebApi(URI apiBase, String token, Function<String, Optional<String>> channelOfName,
                       SlackAlertComposer composer, SlackHttp http, Clock clock) {
        String base = apiBase.toString();
        this.apiBase = URI.create(base.endsWith("/") ? base : base + "/");
        this.token = token;
        this.channelOfName = channelOfName;
        this.composer = composer;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Incident.MessageId send(Notice notice, Message message) {
        return switch (notice.kind()) {
            case ALERT, DIGEST -> {
                Answer posted = call(POST_MESSAGE, body(message, channel(notice.destination()), null),
                        notice.destination());
                yield new Incident.MessageId(posted.channel(), posted.ts(), notice.isList());
            }
            case REMINDER -> {
                reply(notice, message, thread(notice));
                yield null;
            }
            case RESOLVED -> {
                Optional<Incident.MessageId> thread = thread(notice);
                if (thread.isPresent() && !thread.get().digest() && !notice.isList()) {
                    markResolved(thread.get(), notice);
                }
                reply(notice, message, thread);
                yield null;
            }
        };
    }

    @Override
    public void postMessage(String destination, Message message) {
        call(POST_MESSAGE, body(message, channel(destination), null), destination);
    }

    /** In the thread when there is one, else a message of its own to the notice's destination. */
    private void reply(Notice notice, Message message, Optional<Incident.MessageId> thread) {
        JsonObject body = thread.isPresent() ? body(message, thread.get().channel(), thread.get().ts())
                : body(message, channel(notice.destination()), null);
        call(POST_MESSAGE, body, notice.destination());
    }

    /**
     * The thread the notice's incidents share: the message that carried their alert on this channel. None when one
     * of them has none, or they are in different ones.
     */
    static Optional<Incident.MessageId> thread(Notice notice) {
        Incident.MessageId shared = null;
        for (Incident incident : notice.incidents()) {
            Optional<Incident.MessageId> own = incident.message(notice.channel());
            if (own.isEmpty()) {
                return Optional.empty();
            }
            if (shared == null) {
                shared = own.get();
            } else if (!shared.channel().equals(own.get().channel()) || !shared.ts().equals(own.get().ts())) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(shared);
    }

    /**
     * Edits the alert: as it was, under its resolved header, with a last line saying it is resolved and when, and
     * "Resolved:" in its text.
     */
    private void markResolved(Incident.MessageId alert, Notice notice) {
        Incident incident = notice.incident();
        Message original = composer.resolvedAlert(new Notice(Notice.Kind.ALERT, notice.channel(),
                notice.destination(), notice.standsInFor(), List.of(incident.withResolution(null))));
        Message resolved = resolvedVersion(original, incident.resolution().at());
        JsonObject body = SlackWebhooks.jsonObject(resolved);
        body.addProperty("channel", alert.channel());
        body.addProperty("ts", alert.ts());
        try {
            call(UPDATE, body, notice.destination());
        } catch (SlackRefusedException refused) {
            if (!NOT_EDITABLE.contains(refused.error)) {
                throw refused;
            }
            LOG.warn("Slack would not mark the alert resolved ({}): {}; the resolved notice goes to its thread",
                    UPDATE, refused.error);
        }
    }

    /** The alert, marked resolved: its text starts "Resolved:", a last context line says when. */
    static Message resolvedVersion(Message original, Instant at) {
        List<LayoutBlock> blocks = new ArrayList<>(original.getBlocks() == null ? List.of() : original.getBlocks());
        List<ContextBlockElement> elements = new ArrayList<>();
        elements.add(MarkdownTextObject.builder()
                .text(":white_check_mark: *Resolved* " + AlertValues.WHEN.format(at) + " (see the thread)").build());
        if (blocks.size() >= SlackAlertComposer.MAX_BLOCKS) {
            blocks.remove(blocks.size() - 1);
        }
        blocks.add(ContextBlock.builder().elements(elements).build());
        Message resolved = new Message();
        resolved.setText(SlackAlertComposer.truncate("Resolved: " + original.getText(),
                SlackAlertComposer.SECTION_LIMIT));
        resolved.setBlocks(blocks);
        return resolved;
    }

    private static JsonObject body(Message message, String channel, String threadTs) {
        JsonObject body = SlackWebhooks.jsonObject(message);
        body.addProperty("channel", channel);
        if (threadTs != null) {
            body.addProperty("thread_ts", threadTs);
        }
        return body;
    }

    /** The Slack channel of a routing name: {@code alert.slack.channel}, or {@code alert.slack.channel.<name>}. */
    private String channel(String name) {
        String key = channelKey(name);
        return channelOfName.apply(name).map(String::strip).filter(channel -> !channel.isEmpty())
                .orElseThrow(() -> new AlertDeliveryException("Slack channel '" + name + "' is not configured: set "
                        + key + " (env " + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')
                        + ") to the channel's id"));
    }

    static String channelKey(String name) {
        return Routing.DEFAULT_WEBHOOK.equals(name) ? "alert.slack.channel" : "alert.slack.channel." + name;
    }

    /** One Web API call; fails unless Slack answered 2xx with {@code "ok": true}. */
    Answer call(String method, JsonObject body, String destination) {
        Instant now = clock.instant();
        Instant until = quietUntil.get(method);
        if (until != null && now.isBefore(until)) {
            throw new AlertDeliveryException("Slack asked to wait (rate limited) until " + until + " before calling "
                    + method + " again", AlertDeliveryException.Retry.WAIT, Duration.between(now, until));
        }
        String what = "Slack " + method + " for '" + destination + "'";
        SlackHttp.Answer response;
        try {
            response = http.callWebApi(method, SlackWebhooks.json(body), token, what);
        } catch (CallTimeoutException e) {
            throw new AlertDeliveryException(what + " did not answer within " + HttpGuard.describe(http.timeout())
                    + " (alert.slack.timeout)", AlertDeliveryException.Retry.TRANSIENT, null);
        } catch (AnswerTooLargeException | UnreadableAnswerException e) {
            throw new AlertDeliveryException(what + ": " + e.getMessage(), AlertDeliveryException.Retry.FINAL, null);
        } catch (IOException e) {
            Optional<TlsFailure> certificate = TlsFailure.of(e);
            if (certificate.isPresent()) {
                throw new AlertDeliveryException(what + ": " + certificate.get().describe("Slack's Web API",
                        "alert.slack.api-url") + " (not retried in this round)", AlertDeliveryException.Retry.FINAL,
                        null);
            }
            throw new AlertDeliveryException(what + ": Slack unreachable: " + e.getClass().getSimpleName(),
                    AlertDeliveryException.Retry.TRANSIENT, null);
        }
        int status = response.status();
        if (status == 429) {
            throw rateLimited(method, what + ": Slack answered HTTP 429", response, now);
        }
        if (status / 100 != 2) {
            String said = response.body() == null ? "" : SafeText.line(response.body(), 121);
            throw new AlertDeliveryException(what + ": Slack answered HTTP " + status
                    + (said.isEmpty() ? "" : ": " + said), status >= 500 ? AlertDeliveryException.Retry.TRANSIENT
                    : AlertDeliveryException.Retry.FINAL, null);
        }
        JsonObject answer;
        try {
            answer = JsonParser.parseString(response.body() == null ? "" : response.body()).getAsJsonObject();
        } catch (RuntimeException notJson) {
            throw new AlertDeliveryException(what + ": Slack answered HTTP " + status + " with no JSON object",
                    AlertDeliveryException.Retry.FINAL, null);
        }
        if (!bool(answer.get("ok"))) {
            String error = text(answer.get("error"));
            String code = error == null ? "no error given" : SafeText.line(error, 80);
            if ("ratelimited".equals(error) || "rate_limited".equals(error)) {
                throw rateLimited(method, what + ": Slack answered ratelimited", response, now);
            }
            throw new SlackRefusedException(what + " refused: " + code + hint(code, destination), error,
                    TRANSIENT.contains(code) ? AlertDeliveryException.Retry.TRANSIENT
                            : AlertDeliveryException.Retry.FINAL);
        }
        quietUntil.remove(method);
        String channel = text(answer.get("channel"));
        String ts = text(answer.get("ts"));
        if (channel == null || ts == null) {
            throw new AlertDeliveryException(what + ": Slack answered ok without the message's channel and ts",
                    AlertDeliveryException.Retry.FINAL, null);
        }
        return new Answer(SafeText.line(channel, 40), SafeText.line(ts, 40));
    }

    private AlertDeliveryException rateLimited(String method, String text, SlackHttp.Answer response,
                                               Instant now) {
        Duration wait = SlackWebhooks.retryAfter(response.retryAfter(), now);
        quietUntil.put(method, now.plus(wait));
        return new AlertDeliveryException(text + " (Retry-After " + wait.toSeconds() + "s)",
                AlertDeliveryException.Retry.WAIT, wait);
    }

    /** What to do about the errors ops can fix. */
    private static String hint(String error, String destination) {
        return switch (error) {
            case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired" ->
                    "; check alert.slack.bot-token (env ALERT_SLACK_BOT_TOKEN)";
            case "channel_not_found" -> "; check " + channelKey(destination) + ": the channel's id (C...), which the"
                    + " app can see";
            case "not_in_channel" -> "; invite the app to the channel (/invite @<app>) or set "
                    + channelKey(destination) + " to a channel it is in";
            case "missing_scope" -> "; the app needs the chat:write scope (reinstall it after adding the scope)";
            case "is_archived" -> "; the channel is archived: set " + channelKey(destination) + " to another";
            default -> "";
        };
    }

    private static boolean bool(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isBoolean()
                && element.getAsBoolean();
    }

    private static String text(JsonElement element) {
        return element != null && element.isJsonPrimitive() ? element.getAsString() : null;
    }

    /** Slack answered {@code "ok": false}; {@code error} is its code, as Slack wrote it. */
    static final class SlackRefusedException extends AlertDeliveryException {
        final String error;

        SlackRefusedException(String message, String error, Retry retry) {
            super(message, retry, null);
            this.error = error;
        }
    }

    @Override
    public String toString() {
        return "SlackWebApi[" + apiBase + ", token=****]";
    }
}
