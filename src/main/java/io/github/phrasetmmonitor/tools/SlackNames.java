package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.settings.SettingsCatalog;
import io.github.phrasetmmonitor.settings.SettingsSummary;
import io.github.phrasetmmonitor.state.Routing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.spi.PropertiesComponent;

/**
 * What a Slack name of the routing rules ({@code slackWebhook}: "default", "legal", ...) stands for, in either mode:
 * a webhook whose URL is {@code alert.slack.webhook-url[.<name>]}, or, with a bot token (Slack app mode), a channel
 * {@code alert.slack.channel[.<name>]}. Never the value: a webhook URL is a secret.
 */
record SlackNames(PropertiesComponent properties, boolean appMode) {

    static SlackNames of(PropertiesComponent properties) {
        return new SlackNames(properties, properties.resolveProperty("alert.slack.bot-token")
                .filter(token -> !token.isBlank()).isPresent());
    }

    /** The setting that holds where the name posts. */
    String key(String name) {
        if (Routing.DEFAULT_WEBHOOK.equals(name)) {
            return appMode ? "alert.slack.channel" : "alert.slack.webhook-url";
        }
        return (appMode ? SettingsCatalog.NAMED_CHANNEL_PREFIX : SettingsCatalog.NAMED_WEBHOOK_PREFIX) + name;
    }

    /** "webhook 'legal'", or in app mode "channel 'legal'". */
    String label(String name) {
        return (appMode ? "channel '" : "webhook '") + name + "'";
    }

    boolean isSet(String name) {
        return properties.resolveProperty(key(name)).filter(value -> !value.isBlank()).isPresent();
    }

    /** The environment variable of {@link #key}. */
    String environmentName(String name) {
        return SettingsCatalog.environmentName(key(name));
    }

    /**
     * The names configured besides "default", as the start-up summary finds named webhooks: keys in the properties
     * (files, overrides, JVM system properties) and variables in the environment.
     */
    List<String> configuredNames() {
        String prefix = appMode ? SettingsCatalog.NAMED_CHANNEL_PREFIX : SettingsCatalog.NAMED_WEBHOOK_PREFIX;
        Set<String> keys = new TreeSet<>(properties.loadProperties(key -> key.startsWith(prefix)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(prefix)).forEach(keys::add);
        List<String> names = new ArrayList<>();
        if (appMode) {
            // the same rule as SettingsSummary.namedWebhookKeys, for the channels' prefix
            String environmentPrefix = SettingsCatalog.environmentName(prefix);
            keys.stream().filter(key -> key.length() > prefix.length())
                    .forEach(key -> names.add(key.substring(prefix.length())));
            System.getenv().keySet().stream()
                    .filter(variable -> variable.startsWith(environmentPrefix) && variable.length() > environmentPrefix.length())
                    .map(variable -> variable.substring(environmentPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '-'))
                    .filter(name -> names.stream().noneMatch(known -> known.equalsIgnoreCase(name)
                            || known.replace('-', '_').equalsIgnoreCase(name.replace('-', '_'))))
                    .forEach(names::add);
        } else {
            SettingsSummary.namedWebhookKeys(keys, System.getenv().keySet())
                    .forEach(key -> names.add(key.substring(prefix.length())));
        }
        return names;
    }
}
