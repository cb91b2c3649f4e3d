package io.github.phrasetmmonitor.channel;

import io.github.phrasetmmonitor.alert.AlertDeliveryException;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.state.Routing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.util.TimeUtils;

/**
 * The settings of the channels the route files declare ({@link ChannelDeclaration}), read when they are used, from the
 * properties files and the environment as Camel reads every setting. A routing rule may send a channel's notices to
 * a named destination: {@code alert.<channel>.<parameter>.<name>} then wins over {@code alert.<channel>.<parameter>}
 * (env {@code ALERT_PAGERDUTY_ROUTING_KEY_LEGAL}), so one channel serves several services, teams or receivers.
 * The declarations are known once Camel has read routes/ (config.ChannelRoutes hands them over, before start).
 */
public final class ChannelSettings {

    private final Function<String, Optional<String>> properties;
    private final Function<String, List<String>> namedDestinations;
    private volatile Map<String, ChannelDeclaration> declarations = Map.of();

    /** @param properties a setting's value by key, as Camel resolves it (environment included); empty when unset */
    public ChannelSettings(Function<String, Optional<String>> properties) {
        this(properties, channel -> List.of());
    }

    /** @param namedDestinations the destination names a channel's settings are set for, by channel */
    public ChannelSettings(Function<String, Optional<String>> properties,
                           Function<String, List<String>> namedDestinations) {
        this.properties = properties;
        this.namedDestinations = namedDestinations;
    }

    /** The channels routes/ declares; called once the routes are read, before any notice is sent. */
    public void declare(Map<String, ChannelDeclaration> declared) {
        declarations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(declared));
    }

    /** The names of the channels routes/ declares. */
    public List<String> declaredNames() {
        return List.copyOf(declarations.keySet());
    }

    public Optional<ChannelDeclaration> declaration(String channel) {
        return Optional.ofNullable(declarations.get(channel));
    }

    /**
     * The value of a channel's parameter for a destination: the destination's own setting when it is not
     * {@link Routing#DEFAULT_WEBHOOK}, else (or when that is not set) the channel's, else the declared default.
     */
    public Optional<String> value(String channel, String parameter, String destination) {
        ChannelDeclaration declaration = declarations.get(channel);
        if (declaration == null) {
            return Optional.empty();
        }
        String key = declaration.settingKey(parameter);
        Optional<String> value = Optional.empty();
        if (destination != null && !Routing.DEFAULT_WEBHOOK.equals(destination)) {
            value = set(key + "." + destination);
            // a named destination's secret is its own: falling back would page the default's people
            if (declaration.parameter(parameter).map(ChannelDeclaration.Parameter::secret).orElse(false)) {
                return value;
            }
        }
        if (value.isEmpty()) {
            value = set(key);
        }
        if (value.isEmpty()) {
            value = declaration.parameter(parameter).map(ChannelDeclaration.Parameter::defaultValue)
                    .filter(text -> !text.isBlank());
        }
        return value;
    }

    /**
     * A parameter's value for the notice's destination, for a step of the channel's route (a secret URL into
     * {@code CamelHttpUri}, say).
     *
     * @throws AlertDeliveryException (final) naming the setting, never its value, when it is not set
     */
    public String value(Notice notice, String parameter) {
        return value(notice.channel(), parameter, notice.destination()).orElseThrow(() -> new AlertDeliveryException(
                notice.channel() + " has no " + keyFor(notice.channel(), parameter, notice.destination())
                        + ": set it (env " + environmentFor(notice.channel(), parameter, notice.destination()) + ")"));
    }

    /**
     * Checks that every required parameter is set for the notice's destination, before anything is sent: a routing
     * rule's destination whose secret is unset would otherwise go out without it (PagerDuty's routing key is part of
     * the message, not of a step that asks {@link #value(Notice, String)}).
     *
     * @throws AlertDeliveryException (final) naming the first setting that is not set, never a value
     */
    public void requireSet(Notice notice) {
        declaration(notice.channel()).ifPresent(declaration -> declaration.parameters().stream()
                .filter(ChannelDeclaration.Parameter::required)
                .forEach(parameter -> value(notice, parameter.name())));
    }

    /** Every parameter's value for a destination, secrets included: what the channel's templates see as settings. */
    public Map<String, String> values(String channel, String destination) {
        Map<String, String> values = new LinkedHashMap<>();
        declaration(channel).ifPresent(declaration -> declaration.parameters().forEach(parameter ->
                value(channel, parameter.name(), destination).ifPresent(value -> values.put(parameter.name(), value))));
        return values;
    }

    /** The values of the channel's secrets, for every destination's that is set: masked wherever text is shown. */
    public List<String> secretValues(String channel, String destination) {
        List<String> secrets = new ArrayList<>();
        declaration(channel).ifPresent(declaration -> declaration.parameters().stream()
                .filter(ChannelDeclaration.Parameter::secret)
                .forEach(parameter -> value(channel, parameter.name(), destination).ifPresent(secrets::add)));
        return secrets;
    }

    /** {@code text} with every secret of the channel (for the destination) replaced by ****. */
    public String mask(String channel, String destination, String text) {
        String masked = text;
        for (String secret : secretValues(channel, destination)) {
            if (secret.length() >= 4) {
                masked = masked.replace(secret, "****");
            }
        }
        return masked;
    }

    /**
     * {@code text} with every secret of the channel replaced by ****: the channel's own and each named destination's
     * that the properties files set (the environment's named ones are masked where the destination is known).
     */
    public String maskAll(String channel, String text) {
        String masked = mask(channel, Routing.DEFAULT_WEBHOOK, text);
        for (String destination : namedDestinations.apply(channel)) {
            masked = mask(channel, destination, masked);
        }
        return masked;
    }

    /** A duration parameter (500ms, 10s, 5m), or empty when it is not declared or not set. */
    public Optional<Duration> duration(String channel, String parameter) {
        return value(channel, parameter, Routing.DEFAULT_WEBHOOK).map(text -> Duration.ofMillis(
                TimeUtils.toMilliSeconds(text.trim())));
    }

    /**
     * What is wrong with the settings of the configured declared channels, one line each: a required parameter
     * not set, a duration that is not one; and keys {@code alert.<channel>.…} that no channel declares.
     *
     * @param configured the channels of alert.channels and alert.fallback-channel
     * @param setKeys    the keys of the channels' namespace set in the properties files and the environment
     */
    public List<String> problems(Set<String> configured, Set<String> setKeys) {
        List<String> problems = new ArrayList<>();
        for (String channel : configured) {
            ChannelDeclaration declaration = declarations.get(channel);
            if (declaration == null) {
                continue; // not declared at all: the caller says so
            }
            for (ChannelDeclaration.Parameter parameter : declaration.parameters()) {
                Optional<String> value = value(channel, parameter.name(), Routing.DEFAULT_WEBHOOK);
                if (parameter.required() && value.isEmpty()) {
                    problems.add(declaration.settingKey(parameter.name()) + " is not set, and alert.channels or"
                            + " alert.fallback-channel includes " + channel + ": " + firstSentence(parameter)
                            + " (env " + declaration.environmentName(parameter.name()) + ")");
                }
                if (value.isPresent() && isDuration(parameter)) {
                    try {
                        TimeUtils.toMilliSeconds(value.get().trim());
                    } catch (RuntimeException e) {
                        problems.add(declaration.settingKey(parameter.name()) + " '" + value.get()
                                + "' is not a duration such as 10s or 5m");
                    }
                }
            }
        }
        for (String key : setKeys) {
            String[] parts = key.split("\\.", 4);
            ChannelDeclaration declaration = parts.length < 3 ? null : declarations.get(parts[1]);
            if (declaration == null) {
                problems.add("'" + key + "' is not a setting: no channel '" + (parts.length < 2 ? key : parts[1])
                        + "' is declared in routes/ (channels: " + String.join(", ", declarations.keySet()) + ")");
            } else if (declaration.parameter(parts[2]).isEmpty()) {
                problems.add("'" + key + "' is not a setting of channel " + declaration.name() + " (its settings: "
                        + String.join(", ", declaration.parameters().stream()
                                .map(ChannelDeclaration.Parameter::name).toList()) + ")");
            }
        }
        return problems;
    }

    private static boolean isDuration(ChannelDeclaration.Parameter parameter) {
        return parameter.name().equals("timeout") || parameter.name().endsWith("-interval");
    }

    private static String firstSentence(ChannelDeclaration.Parameter parameter) {
        String meaning = parameter.description();
        int end = meaning.indexOf(". ", ChannelDeclaration.SECRET.length() + 2);
        return end < 0 ? meaning : meaning.substring(0, end + 1);
    }

    private Optional<String> set(String key) {
        return properties.apply(key).map(String::trim).filter(text -> !text.isEmpty());
    }

    private String keyFor(String channel, String parameter, String destination) {
        String key = declarations.get(channel) == null ? "alert." + channel + "." + parameter
                : declarations.get(channel).settingKey(parameter);
        return destination == null || Routing.DEFAULT_WEBHOOK.equals(destination) ? key : key + "." + destination;
    }

    private String environmentFor(String channel, String parameter, String destination) {
        return keyFor(channel, parameter, destination).toUpperCase(java.util.Locale.ROOT).replace('.', '_')
                .replace('-', '_');
    }

    @Override
    public String toString() {
        return "ChannelSettings" + declarations.keySet();
    }
}
