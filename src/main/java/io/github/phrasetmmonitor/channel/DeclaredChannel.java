package io.github.phrasetmmonitor.channel;

import io.github.phrasetmmonitor.alert.AlertChannel;
import io.github.phrasetmmonitor.alert.AlertDeliveryException;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.alert.SlackWebhooks;
import io.github.phrasetmmonitor.text.SafeText;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.logging.OneLine;
import io.github.phrasetmmonitor.state.Routing;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a channel declared in YAML ({@link ChannelDeclaration}) is to the incident pipeline. A routing rule names its
 * destination in the variable {@code <channel>To} (pagerdutyTo, teamsTo): a short name whose settings are
 * {@code alert.<channel>.<parameter>.<name>}. Its verdict on a failure: an HTTP answer its endpoint did not take
 * (outside the endpoint's {@code okStatusCodeRange}) is worth another call when its status is one of the parameter
 * {@code retry-statuses} (default {@link #RETRY_STATUSES}), after its Retry-After when it has one, and final
 * otherwise; any other exception is retried when it is one of the types of the parameter {@code retry-on} (default
 * {@link #RETRY_ON}), and final otherwise. A channel that declares {@code repeat-interval} is told again about an
 * open incident that often, whatever alert.repeat-interval says (Alertmanager forgets an alert not posted again).
 */
public final class DeclaredChannel implements AlertChannel {

    /** The exceptions worth a retry when the channel declares no retry-on: the connection failed or timed out. */
    public static final String RETRY_ON = "java.io.IOException";
    /** The answers worth another call when the channel declares no retry-statuses. */
    public static final String RETRY_STATUSES = "408,429,5xx";
    private static final int EXCERPT = 200;
    private static final Pattern DESTINATION = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private final String name;
    private final ChannelSettings settings;

    public DeclaredChannel(String name, ChannelSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code <channel>To}, the name in lower camel case: pagerdutyTo, myWebhookTo. */
    @Override
    public String routingVariable() {
        StringBuilder variable = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                variable.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return variable.append("To").toString();
    }

    @Override
    public String defaultDestination() {
        return Routing.DEFAULT_WEBHOOK;
    }

    @Override
    public String destination(String chosen) {
        String destination = chosen == null || chosen.isBlank() ? Routing.DEFAULT_WEBHOOK : chosen.trim();
        if (!DESTINATION.matcher(destination).matches()) {
            throw new IllegalArgumentException("a routing rule sends " + name + " notices to '" + destination
                    + "' (variable " + routingVariable() + "); use a short name (letters, digits, - or _) whose"
                    + " settings are alert." + name + ".<setting>." + "<name>");
        }
        return destination;
    }

    @Override
    public Optional<Duration> repeatInterval() {
        return settings.duration(name, "repeat-interval").filter(interval -> !interval.isZero());
    }

    @Override
    public Verdict verdict(Throwable failure) {
        Optional<AlertDeliveryException> judged = Causes.find(failure, AlertDeliveryException.class);
        if (judged.isPresent()) {
            return judged.get().verdict();
        }
        Optional<HttpOperationFailedException> answer = Causes.find(failure, HttpOperationFailedException.class);
        if (answer.isPresent()) {
            if (!retryStatuses().stream().anyMatch(status -> matches(status, answer.get().getStatusCode()))) {
                return Verdict.FINAL;
            }
            return retryAfterHeader(answer.get()).isPresent() ? Verdict.WAIT : Verdict.RETRY;
        }
        List<String> retryOn = list("retry-on", RETRY_ON);
        for (Throwable cause : Causes.of(failure)) {
            for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
                if (retryOn.contains(type.getName())) {
                    return Verdict.RETRY;
                }
            }
        }
        return Verdict.FINAL;
    }

    @Override
    public Duration retryAfter(Throwable failure) {
        return Causes.find(failure, HttpOperationFailedException.class).flatMap(DeclaredChannel::retryAfterHeader)
                .map(header -> SlackWebhooks.retryAfter(Optional.of(header), Instant.now()))
                .orElseGet(() -> AlertChannel.super.retryAfter(failure));
    }

    /**
     * The failure in one line: for an answer, its status and the start of its body, never camel-http's message,
     * which quotes the URL (a secret for a webhook); the channel's secrets are masked in what is left.
     */
    @Override
    public String describe(Throwable failure) {
        Optional<HttpOperationFailedException> answer = Causes.find(failure, HttpOperationFailedException.class);
        String line;
        if (answer.isPresent()) {
            String excerpt = SafeText.line(answer.get().getResponseBody() == null ? "" : answer.get().getResponseBody(),
                    EXCERPT);
            line = Notice.titleOf(name) + " answered HTTP " + answer.get().getStatusCode()
                    + (excerpt.isBlank() ? "" : ": " + excerpt)
                    + switch (verdict(failure)) {
                        case FINAL -> " (not retried: not one of alert." + name + ".retry-statuses)";
                        case WAIT -> " (Retry-After " + retryAfter(failure).toSeconds() + "s)";
                        case RETRY -> "";
                    };
        } else {
            line = Causes.find(failure, AlertDeliveryException.class).map(Throwable::getMessage)
                    .orElseGet(() -> OneLine.fold(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        }
        // an endpoint's exception may quote its URI, whose secret (a webhook's path) must not reach the log
        return settings.maskAll(name, line);
    }

    private List<String> retryStatuses() {
        return list("retry-statuses", RETRY_STATUSES);
    }

    private List<String> list(String parameter, String fallback) {
        return Arrays.stream(settings.value(name, parameter, Routing.DEFAULT_WEBHOOK).orElse(fallback).split("[,\\s]+"))
                .map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** Whether {@code status} is the rule: a status (429) or a class (5xx). */
    static boolean matches(String rule, int status) {
        String text = Integer.toString(status);
        return rule.equals(text) || rule.length() == 3 && rule.endsWith("xx") && text.length() == 3
                && text.charAt(0) == rule.charAt(0);
    }

    private static Optional<String> retryAfterHeader(HttpOperationFailedException answer) {
        Map<String, String> headers = answer.getResponseHeaders();
        return headers == null ? Optional.empty() : headers.entrySet().stream()
                .filter(header -> "Retry-After".equalsIgnoreCase(header.getKey()))
                .map(Map.Entry::getValue).filter(value -> value != null && !value.isBlank()).findFirst();
    }

    @Override
    public String toString() {
        return "DeclaredChannel[" + name + "]";
    }
}
