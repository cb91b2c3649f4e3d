package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentKey;
import io.github.phrasetmmonitor.state.IncidentState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one planner of the incident pipeline: decides which notices are due on a channel, for failed tasks and the
 * monitor's own problems alike: alerts (one each, or a digest per destination when more incidents of a kind are due
 * than {@code alert.digest-threshold}), reminders, resolved notices (recoveries, for problems), and fallback
 * deliveries for what a channel did not take. Planning changes nothing; what happened is recorded only by
 * {@link #delivered} and {@link #notDelivered}. The route {@code deliver-due} calls these steps in order.
 */
public final class AlertPlanner {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.alert");

    private final IncidentState state;
    private final Set<String> configuredChannels;
    private final Optional<String> fallbackChannel;
    private final Duration repeatInterval;
    private final int digestThreshold;
    /** Incidents a channel tried to deliver and did not: what the fallback channel may carry for it. */
    private final Set<GaveUp> gaveUp = ConcurrentHashMap.newKeySet();

    private record GaveUp(IncidentKey key, String channel) {
    }

    /** An incident due on a channel, for the people of {@code onBehalfOf}. */
    private record Due(Incident incident, String onBehalfOf) {
    }

    /**
     * @param configuredChannels the channels with settings now; an incident routed to a channel that has since been
     *                           switched off waits until it is configured again
     * @param repeatInterval     {@link Duration#ZERO} when reminders are off
     */
    public AlertPlanner(IncidentState state, Set<String> configuredChannels, Optional<String> fallbackChannel,
                        Duration repeatInterval, int digestThreshold) {
        this.state = state;
        this.configuredChannels = Set.copyOf(configuredChannels);
        this.fallbackChannel = fallbackChannel;
        this.repeatInterval = repeatInterval;
        this.digestThreshold = digestThreshold;
    }

    /**
     * Alerts on {@code channel} for the routed, unresolved incidents it has not taken yet (new, or still pending):
     * one each, or, when more incidents of a kind are due than {@code alert.digest-threshold}, one digest per
     * destination.
     */
    public List<Notice> announcements(String channel) {
        List<Due> due = new ArrayList<>();
        for (Incident incident : state.openIncidents()) {
            if (!incident.isResolved() && dueTargets(incident).contains(channel)) {
                due.add(new Due(incident, channel));
            }
        }
        return notices(Notice.Kind.ALERT, Notice.Kind.DIGEST, channel, due);
    }

    /** The threshold above which incidents of a kind come as one notice per destination. */
    public int digestThreshold() {
        return digestThreshold;
    }

    /**
     * With {@code alert.repeat-interval}: a reminder on {@code channel}, when it carries an unresolved incident and
     * was not told about it for that long; listed per destination when more than the threshold are due.
     */
    public List<Notice> reminders(String channel) {
        if (repeatInterval.isZero() || !configuredChannels.contains(channel)) {
            return List.of();
        }
        Instant now = state.now();
        List<Due> due = new ArrayList<>();
        for (Incident incident : state.openIncidents()) {
            if (!incident.isResolved() && incident.carriers().contains(channel)
                    && isReminderDue(incident, channel, now)) {
                due.add(new Due(incident, channel));
            }
        }
        return notices(Notice.Kind.REMINDER, Notice.Kind.REMINDER, channel, due);
    }

    /** A resolved (recovery) notice on {@code channel} for each incident over that it carried and was not told of. */
    public List<Notice> resolvedNotices(String channel) {
        if (!configuredChannels.contains(channel)) {
            return List.of();
        }
        List<Due> due = new ArrayList<>();
        for (Incident incident : state.openIncidents()) {
            if (incident.owedResolvedNotice().contains(channel)) {
                due.add(new Due(incident, channel));
            }
        }
        return notices(Notice.Kind.RESOLVED, Notice.Kind.RESOLVED, channel, due);
    }

    /**
     * With {@code alert.fallback-channel}: what a channel tried and did not take ({@link #notDelivered}) goes out on
     * the fallback channel, marked as such, grouped like the channel's own notices. A channel that has not tried
     * yet is never stood in for: each channel delivers on its own thread, and may just be slow. Nothing unless
     * {@code standIn} is the fallback channel.
     */
    public List<Notice> fallbacks(String standIn) {
        if (fallbackChannel.isEmpty() || !fallbackChannel.get().equals(standIn)) {
            return List.of();
        }
        Instant now = state.now();
        List<Due> alerts = new ArrayList<>();
        List<Due> reminders = new ArrayList<>();
        List<Due> resolved = new ArrayList<>();
        for (Incident incident : state.openIncidents()) {
            if (!incident.isRouted() || incident.carriers().contains(standIn)) {
                continue; // the fallback's own people hear of it on their own
            }
            if (!incident.isResolved()) {
                dueTargets(incident).stream().filter(channel -> gaveUp(incident, channel, standIn))
                        .forEach(channel -> alerts.add(new Due(incident, channel)));
                incident.carriers().stream()
                        .filter(carrier -> gaveUp(incident, carrier, standIn) && isReminderDue(incident, carrier, now))
                        .forEach(carrier -> reminders.add(new Due(incident, carrier)));
            } else {
                incident.owedResolvedNotice().stream().filter(carrier -> gaveUp(incident, carrier, standIn))
                        .forEach(carrier -> resolved.add(new Due(incident, carrier)));
            }
        }
        List<Notice> notices = new ArrayList<>(notices(Notice.Kind.ALERT, Notice.Kind.DIGEST, standIn, alerts));
        notices.addAll(notices(Notice.Kind.REMINDER, Notice.Kind.REMINDER, standIn, reminders));
        notices.addAll(notices(Notice.Kind.RESOLVED, Notice.Kind.RESOLVED, standIn, resolved));
        notices.forEach(notice -> LOG.info("Sending the {} on {} instead (alert.fallback-channel)",
                notice.summary(), standIn));
        return notices;
    }

    /**
     * The channel took the notice: recorded before it counts as sent. A fallback delivery also settles the fallback
     * channel's own share of the same notice, when it has one, so its people do not get it twice.
     */
    public void delivered(Notice notice) {
        for (Incident incident : notice.incidents()) {
            IncidentKey key = incident.key();
            gaveUp.remove(new GaveUp(key, notice.onBehalfOf()));
            List<String> settled = notice.isFallback() ? List.of(notice.onBehalfOf(), notice.channel())
                    : List.of(notice.channel());
            for (String channel : settled) {
                boolean forThem = channel.equals(notice.onBehalfOf());
                switch (notice.kind()) {
                    case ALERT, DIGEST -> {
                        if (forThem || incident.routing().channels().contains(channel)) {
                            state.alerted(key, channel, notice.channel());
                        }
                    }
                    case REMINDER -> {
                        if (forThem || incident.carriers().contains(channel)) {
                            state.reminded(key, channel);
                        }
                    }
                    case RESOLVED -> {
                        if (forThem || incident.carriers().contains(channel)) {
                            state.notifiedResolved(key, channel);
                        }
                    }
                }
            }
            if (!notice.isFallback() && fallbackChannel.filter(notice.channel()::equals).isPresent()) {
                coverGaveUp(key, notice);
            }
        }
    }

    /** The fallback channel took its own notice: channels that gave up on the same incident are covered by it. */
    private void coverGaveUp(IncidentKey key, Notice notice) {
        for (GaveUp entry : List.copyOf(gaveUp)) {
            if (entry.key().equals(key) && gaveUp.remove(entry)) {
                switch (notice.kind()) {
                    case ALERT, DIGEST -> state.alerted(key, entry.channel(), notice.channel());
                    case REMINDER -> state.reminded(key, entry.channel());
                    case RESOLVED -> state.notifiedResolved(key, entry.channel());
                }
            }
        }
    }

    /**
     * The channel did not take the notice after its retries (route configuration {@code alert-delivery}): the
     * fallback channel may now stand in for it. When the fallback channel already carries an incident, its people
     * hear of it (and of its reminders and its end) on their own, so the channel counts as covered and nothing is
     * sent twice. Kept in memory only: after a restart the channel tries again first.
     */
    public void notDelivered(Notice notice) {
        if (notice == null || notice.isFallback() || fallbackChannel.isEmpty()
                || fallbackChannel.get().equals(notice.channel())) {
            return;
        }
        String fallback = fallbackChannel.get();
        for (Incident incident : notice.incidents()) {
            IncidentKey key = incident.key();
            if (!incident.carriers().contains(fallback)) {
                gaveUp.add(new GaveUp(key, notice.channel()));
                continue;
            }
            LOG.info("{} {} not delivered; {} already carries it", notice.channel(), notice.summary(), fallback);
            switch (notice.kind()) {
                case ALERT, DIGEST -> state.alerted(key, notice.channel(), fallback);
                case REMINDER -> state.reminded(key, notice.channel());
                case RESOLVED -> state.notifiedResolved(key, notice.channel());
            }
        }
    }

    /** Whether {@code channel} left something for the fallback channel to carry. */
    public boolean needsFallback(String channel) {
        return fallbackChannel.filter(fallback -> !fallback.equals(channel)).isPresent()
                && gaveUp.stream().anyMatch(entry -> entry.channel().equals(channel));
    }

    /** Notices grouped by channel, in order, so that each channel can be sent on its own thread. */
    public List<List<Notice>> byChannel(List<Notice> notices) {
        Map<String, List<Notice>> groups = new LinkedHashMap<>();
        notices.forEach(notice -> groups.computeIfAbsent(notice.channel(), key -> new ArrayList<>()).add(notice));
        return List.copyOf(groups.values());
    }

    /**
     * The notices for what is due on {@code channel}: grouped by whose people they are for, the incidents' kind and
     * the destination; one notice per incident, or one listing them all when more incidents of that kind are due
     * than the threshold.
     */
    private List<Notice> notices(Notice.Kind single, Notice.Kind list, String channel, List<Due> due) {
        Map<String, Integer> perKind = new LinkedHashMap<>();
        due.forEach(entry -> perKind.merge(entry.incident().kind(), 1, Integer::sum));
        Map<List<String>, List<Incident>> groups = new LinkedHashMap<>();
        for (Due entry : due) {
            Incident incident = entry.incident();
            groups.computeIfAbsent(List.of(entry.onBehalfOf(), incident.kind(),
                    incident.routing().destination(channel)), key -> new ArrayList<>()).add(incident);
        }
        List<Notice> notices = new ArrayList<>();
        groups.forEach((where, group) -> {
            String standsInFor = where.get(0).equals(channel) ? null : where.get(0);
            if (perKind.get(where.get(1)) > digestThreshold) {
                notices.add(new Notice(list, channel, where.get(2), standsInFor, group));
            } else {
                group.forEach(incident -> notices.add(
                        new Notice(single, channel, where.get(2), standsInFor, List.of(incident))));
            }
        });
        return notices;
    }

    private boolean gaveUp(Incident incident, String channel, String standIn) {
        return !channel.equals(standIn) && gaveUp.contains(new GaveUp(incident.key(), channel));
    }

    private List<String> dueTargets(Incident incident) {
        return incident.unsettledTargets().stream().filter(configuredChannels::contains).toList();
    }

    private boolean isReminderDue(Incident incident, String carrier, Instant now) {
        if (repeatInterval.isZero()) {
            return false;
        }
        Instant last = incident.lastTold(carrier);
        return last != null && !last.plus(repeatInterval).isAfter(now);
    }
}
