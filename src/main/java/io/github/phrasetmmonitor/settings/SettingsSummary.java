package io.github.phrasetmmonitor.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every monitor setting with the value in force, for the start-up log. Secrets show only whether they are set, so
 * the summary can be pasted into a ticket.
 */
public final class SettingsSummary {

    /** The monitor's declared keys, in the order of application.properties; named webhooks follow the default one. */
    public static final List<String> KEYS = SettingsCatalog.keys();

    /**
     * Keys whose values never reach a log, an exception message, health or metrics output, or a state file. Every key
     * that starts with {@link #NAMED_WEBHOOK_PREFIX} is one too: see {@link #isSecret}.
     */
    public static final Set<String> SECRETS = SettingsCatalog.ALL.stream().filter(Setting::secret)
            .map(Setting::key).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** A routing rule's webhook {@code <name>} has its URL in {@code alert.slack.webhook-url.<name>}; any name. */
    public static final String NAMED_WEBHOOK_PREFIX = SettingsCatalog.NAMED_WEBHOOK_PREFIX;

    private static final String NAMED_WEBHOOK_ENV_PREFIX = environmentName(NAMED_WEBHOOK_PREFIX);

    private SettingsSummary() {
    }

    /** Named webhooks are secrets whatever their name, so ops can add one without touching the code. */
    public static boolean isSecret(String key) {
        return SettingsCatalog.isSecret(key);
    }

    /**
     * The settings in force that are not their declared defaults, each named webhook after the default webhook, one
     * line each with the value and where it is set ({@code alert.channels = slack,email  (env ALERT_CHANNELS)}),
     * and one line counting the others: start-up prints each setting once, and a start stays a screenful.
     */
    public static List<String> lines(SettingsSource source, Collection<String> namedWebhookKeys,
                                     SettingsOrigins origins) {
        List<String> keys = new ArrayList<>();
        for (String key : KEYS) {
            keys.add(key);
            if ("alert.slack.webhook-url".equals(key)) {
                keys.addAll(namedWebhookKeys);
            }
        }
        List<String> lines = new ArrayList<>();
        int atDefault = 0;
        for (String key : keys) {
            String value = source.value(key).orElse("");
            String origin = origins.of(key);
            String declared = SettingsCatalog.find(key).map(Setting::defaultValue).orElse("");
            if (value.equals(declared) && !origin.startsWith("env ") && !origin.equals("override")) {
                atDefault++;
            } else {
                lines.add("    " + key + " = " + shown(key, value) + "  (" + origin + ")");
            }
        }
        lines.add("    and " + atDefault + " more at their defaults (docs/configuration.md)");
        return lines;
    }

    /**
     * The named webhook keys that are configured: those the properties (files, overrides, JVM system properties)
     * define, even empty, and one for each {@code ALERT_SLACK_WEBHOOK_URL_<NAME>} variable that is not just such a
     * key's environment form. A name known only from the environment is shown in lower case with dashes; Camel finds
     * the same variable for that key (and for the underscore spelling a routing rule might use).
     */
    public static List<String> namedWebhookKeys(Collection<String> propertyKeys, Collection<String> environmentNames) {
        Set<String> keys = new TreeSet<>();
        Set<String> asEnvironment = new HashSet<>();
        for (String key : propertyKeys) {
            if (key.startsWith(NAMED_WEBHOOK_PREFIX) && key.length() > NAMED_WEBHOOK_PREFIX.length()) {
                keys.add(key);
                asEnvironment.add(environmentName(key));
            }
        }
        for (String variable : environmentNames) {
            if (variable.startsWith(NAMED_WEBHOOK_ENV_PREFIX) && variable.length() > NAMED_WEBHOOK_ENV_PREFIX.length()
                    && !asEnvironment.contains(variable)) {
                String name = variable.substring(NAMED_WEBHOOK_ENV_PREFIX.length());
                keys.add(NAMED_WEBHOOK_PREFIX + name.toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        return List.copyOf(keys);
    }

    /**
     * Words for {@code ExtendedCamelContext.setAdditionalSensitiveKeywords}, so Camel's own start-up summary
     * ("Property-placeholders summary") masks every secret this class masks. Camel 4.18 decides per key
     * (CamelContextHelper.containsSensitive): it takes the part after the last dot, in lower case without dashes, and
     * masks it when that is one of its own words (password, token, ...) or occurs anywhere in the additional keywords.
     * For a named webhook that last part is the name itself, which no fixed keyword can foresee, so the words are
     * made here from the secret keys and the named webhooks actually configured. A name is given as Camel sees both
     * its dash and its underscore spelling (platformteam, platform_team), as a routing rule may use either for the
     * same environment variable.
     */
    public static Set<String> camelSensitiveKeywords(Collection<String> namedWebhookKeys) {
        Set<String> words = new TreeSet<>();
        List<String> secretKeys = new ArrayList<>(SECRETS);
        secretKeys.addAll(namedWebhookKeys);
        for (String key : secretKeys) {
            String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            words.add(last.replace("-", "").replace("_", ""));
            words.add(last.replace('-', '_'));
        }
        return words;
    }

    /** A key's environment variable, as Camel looks it up: upper case, dots and dashes as underscores. */
    static String environmentName(String key) {
        return SettingsCatalog.environmentName(key);
    }

    private static String shown(String key, String value) {
        if (value.isEmpty()) {
            return "(not set)";
        }
        return isSecret(key) ? "****** (set)" : value;
    }
}
