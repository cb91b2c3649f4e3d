package io.github.phrasetmmonitor.channel;

import io.github.phrasetmmonitor.alert.AlertChannel;
import io.github.phrasetmmonitor.alert.AlertDeliveryException;
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
 * {@code alert.<channel>.<parameter>.<name>}. Its verdict on a failure is the one its route gave
 * ({@link ChannelAnswers} judges an HTTP answer by the rules the route states); any other exception is retried when
 * it is one of the types of its parameter {@code retry-on} (default {@link #RETRY_ON}), and final otherwise. A
 * channel that declares {@code repeat-interval} is told again about an open incident that often, whatever
 * alert.repeat-interval says (Alertmanager forgets an alert that is not posted again).
 */
public final class DeclaredChannel implements AlertChannel {

    /** The exceptions worth a retry when the channel declares no retry-on: the connection failed or timed out. */
    public static final String RETRY_ON = "java.io.IOException";
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
        List<String> retryOn = Arrays.stream(settings.value(name, "retry-on", Routing.DEFAULT_WEBHOOK)
                .orElse(RETRY_ON).split(",")).map(String::trim).filter(type -> !type.isEmpty()).toList();
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
    public String describe(Throwable failure) {
        String line = Causes.find(failure, AlertDeliveryException.class).map(Throwable::getMessage)
                .orElseGet(() -> OneLine.fold(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        // an endpoint's exception may quote its URI, whose secret (a webhook's path) must not reach the log
        return settings.mask(name, Routing.DEFAULT_WEBHOOK, line);
    }

    @Override
    public String toString() {
        return "DeclaredChannel[" + name + "]";
    }
}
