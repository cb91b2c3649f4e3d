package io.github.phrasetmmonitor.summary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.quartz.CronExpression;

/**
 * alert.summary-cron (empty: no summaries), alert.summary-channels (empty: every channel of alert.channels) and
 * alert.summary-top-tms, read once at start-up; a wrong one stops start-up with one line naming the key.
 */
public record SummarySettings(Optional<String> cron, List<String> channels, int topTms) {

    public static final String CRON = "alert.summary-cron";
    public static final String CHANNELS = "alert.summary-channels";
    public static final String TOP_TMS = "alert.summary-top-tms";

    public boolean on() {
        return cron.isPresent();
    }

    /** The cron as camel-quartz's endpoint takes it in a URI: '+' for each space. */
    public String cronForUri() {
        // off: a valid expression all the same, for a route that does not start
        return cron.orElse("0 0 0 1 1 ? 2099").trim().replaceAll("\\s+", "+");
    }

    /**
     * @param property  a setting's value, as the properties (and the environment) give it
     * @param defaults  alert.channels, in its order
     * @param configured the channels with settings, which a summary may go to
     */
    public static SummarySettings read(Function<String, Optional<String>> property, List<String> defaults,
                                       Collection<String> configured) {
        String cron = property.apply(CRON).map(String::trim).orElse("");
        if (!cron.isEmpty() && !CronExpression.isValidExpression(cron)) {
            throw new IllegalArgumentException(CRON + " '" + cron + "' is not a Quartz cron expression (seconds minutes"
                    + " hours day-of-month month day-of-week, e.g. 0 0 8 ? * MON for Mondays at 08:00), or empty for"
                    + " no summaries");
        }
        List<String> channels = new ArrayList<>();
        for (String name : property.apply(CHANNELS).orElse("").split(",")) {
            if (!name.isBlank() && !channels.contains(name.trim())) {
                channels.add(name.trim());
            }
        }
        for (String name : channels) {
            if (!configured.contains(name)) {
                throw new IllegalArgumentException(CHANNELS + " names channel '" + name + "', which is not configured"
                        + " (alert.channels or alert.fallback-channel: " + String.join(", ", configured) + ")");
            }
        }
        String top = property.apply(TOP_TMS).map(String::trim).filter(text -> !text.isEmpty()).orElse("5");
        int topTms;
        try {
            topTms = Integer.parseInt(top);
        } catch (NumberFormatException e) {
            topTms = 0;
        }
        if (topTms < 1) {
            throw new IllegalArgumentException(TOP_TMS + " '" + top + "' is not a whole number of at least 1");
        }
        return new SummarySettings(cron.isEmpty() ? Optional.empty() : Optional.of(cron),
                channels.isEmpty() ? List.copyOf(defaults) : List.copyOf(channels), topTms);
    }

}
