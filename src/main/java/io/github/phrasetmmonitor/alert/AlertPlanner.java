package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.state.AlertState;
import io.github.phrasetmmonitor.state.FailureRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, after each polling round, which notices are due, from the alert state: failure alerts (one each, or a
 * digest per destination), reminders, resolved notices, and fallback deliveries for what a channel did not take; and
 * records what each channel took. The route {@code send-alerts} calls these steps in order.
 */
public final class AlertPlanner {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.alert");

    private final AlertState state;
    private final Set<String> configuredChannels;
    private final Optional<String> fallbackChannel;
    private final Duration repeatInterval;
    private final int digestThreshold;
    private volatile Consumer<Notice> problemDelivered = notice -> { };
    /** Failures a channel tried to deliver and did not: what the fallback channel may carry for it. */
    private final Set<GaveUp> gaveUp = ConcurrentHashMap.newKeySet();

    private record GaveUp(AlertState.Key key, String channel) {
    }

    /**
     * @param configuredChannels the channels with settings now; a failure recorded for a channel that has since been
     *                           switched off waits until it is configured again
     * @param repeatInterval     {@link Duration#ZERO} when reminders are off
     */
    public AlertPlanner(AlertState state, Set<String> configuredChannels, Optional<String> fallbackChannel,
                        Duration repeatInterval, int digestThreshold) {
        this.state = state;
        this.configuredChannels = Set.copyOf(configuredChannels);
        this.fallbackChannel = fallbackChannel;
        this.repeatInterval = repeatInterval;
        this.digestThreshold = digestThreshold;
    }

    /** Unresolved failures that {@code channel}, one of their routing, has not taken yet: new, or still pending. */
    public List<FailureRecord> unannounced(String channel) {
        return state.openFailures().stream()
                .filter(record -> !record.isResolved() && dueTargets(record).contains(channel))
                .toList();
    }

    /** One alert on {@code channel} per failure it has not taken. */
    public List<Notice> alerts(List<FailureRecord> failures, String channel) {
        List<Notice> notices = new ArrayList<>();
        for (FailureRecord failure : failures) {
            if (dueTargets(failure).contains(channel)) {
                notices.add(new Notice(Notice.Kind.ALERT, channel, failure.routing().destination(channel), null,
                        List.of(failure)));
            }
        }
        return notices;
    }

    /** One digest per destination on {@code channel}, listing every failure that goes there. */
    public List<Notice> digests(List<FailureRecord> failures, String channel) {
        Map<String, List<FailureRecord>> groups = new LinkedHashMap<>();
        for (FailureRecord failure : failures) {
            if (dueTargets(failure).contains(channel)) {
                groups.computeIfAbsent(failure.routing().destination(channel), key -> new ArrayList<>()).add(failure);
            }
        }
        List<Notice> notices = new ArrayList<>();
        groups.forEach((destination, group) -> notices.add(
                new Notice(Notice.Kind.DIGEST, channel, destination, null, group)));
        return notices;
    }

    /** Who records that a channel took a problem alert or recovery notice (the monitor's problems). */
    public void onProblemDelivered(Consumer<Notice> recorder) {
        this.problemDelivered = recorder;
    }

    /** The threshold above which new failures come as digests ({@code alert.digest-threshold}). */
    public int digestThreshold() {
        return digestThreshold;
    }

    /**
     * With {@code alert.repeat-interval}: a reminder on {@code channel}, when it carries a failure and was not told
     * for that long. When more failures than {@code alert.digest-threshold} are due, each destination gets one
     * reminder listing them.
     */
    public List<Notice> reminders(String channel) {
        if (repeatInterval.isZero()) {
            return List.of();
        }
        Instant now = state.now();
        Map<String, List<FailureRecord>> due = new LinkedHashMap<>();
        int failuresDue = 0;
        for (FailureRecord failure : state.openFailures()) {
            if (!failure.isResolved() && configuredChannels.contains(channel) && failure.carriers().contains(channel)
                    && isReminderDue(failure, channel, now)) {
                due.computeIfAbsent(failure.routing().destination(channel), key -> new ArrayList<>()).add(failure);
                failuresDue++;
            }
        }
        boolean digest = failuresDue > digestThreshold;
        List<Notice> notices = new ArrayList<>();
        due.forEach((destination, group) -> {
            if (digest) {
                notices.add(new Notice(Notice.Kind.REMINDER, channel, destination, null, group));
            } else {
                group.forEach(failure -> notices.add(
                        new Notice(Notice.Kind.REMINDER, channel, destination, null, List.of(failure))));
            }
        });
        return notices;
    }

    /** A resolved notice on {@code channel} for each resolved failure it carried that it has not been told of. */
    public List<Notice> resolvedNotices(String channel) {
        List<Notice> notices = new ArrayList<>();
        if (!configuredChannels.contains(channel)) {
            return notices;
        }
        for (FailureRecord failure : state.openFailures()) {
            if (failure.owedResolvedNotice().contains(channel)) {
                notices.add(new Notice(Notice.Kind.RESOLVED, channel, failure.routing().destination(channel), null,
                        List.of(failure)));
            }
        }
        return notices;
    }

    /**
     * With {@code alert.fallback-channel}: what a channel tried and did not take ({@link #notDelivered}) goes out on
     * the fallback channel, marked as such. When the fallback channel already carries that failure, nothing is sent
     * twice: the channel counts as covered. Alerts are grouped into digests like new failures are. A channel that has
     * not tried yet is never stood in for: each channel delivers on its own thread, and may just be slow. Nothing
     * unless {@code standIn} is the fallback channel.
     */
    public List<Notice> fallbacks(String standIn) {
        if (fallbackChannel.isEmpty() || !fallbackChannel.get().equals(standIn)) {
            return List.of();
        }
        String fallback = fallbackChannel.get();
        Instant now = state.now();
        List<FailureRecord> alertsToCarry = new ArrayList<>();
        List<String> standingInFor = new ArrayList<>();
        List<Notice> notices = new ArrayList<>();
        for (FailureRecord failure : state.openFailures()) {
            AlertState.Key key = new AlertState.Key(failure.tmUid(), failure.taskId());
            boolean fallbackCarries = failure.carriers().contains(fallback);
            if (!failure.isResolved()) {
                for (String channel : dueTargets(failure)) {
                    if (channel.equals(fallback) || !gaveUp(key, channel)) {
                        continue;
                    }
                    if (fallbackCarries) {
                        LOG.info("{} alert for TM {} task {} not delivered; {} already has it",
                                channel, failure.tmUid(), failure.taskId(), fallback);
                        state.alerted(key, channel, fallback);
                        gaveUp.remove(new GaveUp(key, channel));
                    } else {
                        alertsToCarry.add(failure);
                        standingInFor.add(channel);
                    }
                }
                for (String carrier : failure.carriers()) {
                    if (carrier.equals(fallback) || !gaveUp(key, carrier) || !isReminderDue(failure, carrier, now)) {
                        continue;
                    }
                    if (fallbackCarries && !isReminderDue(failure, fallback, now)) {
                        state.reminded(key, carrier);
                        gaveUp.remove(new GaveUp(key, carrier));
                    } else if (!fallbackCarries) {
                        notices.add(new Notice(Notice.Kind.REMINDER, fallback, failure.routing().destination(fallback),
                                carrier, List.of(failure)));
                    }
                }
            } else {
                for (String carrier : failure.owedResolvedNotice()) {
                    if (carrier.equals(fallback) || !gaveUp(key, carrier)) {
                        continue;
                    }
                    if (fallbackCarries && failure.resolution().notified().contains(fallback)) {
                        state.notifiedResolved(key, carrier);
                        gaveUp.remove(new GaveUp(key, carrier));
                    } else if (!fallbackCarries) {
                        notices.add(new Notice(Notice.Kind.RESOLVED, fallback, failure.routing().destination(fallback),
                                carrier, List.of(failure)));
                    }
                }
            }
        }
        notices.addAll(0, fallbackAlerts(fallback, alertsToCarry, standingInFor));
        notices.forEach(notice -> LOG.info("Sending the {} on {} instead (alert.fallback-channel)",
                notice.summary(), fallback));
        return notices;
    }

    private List<Notice> fallbackAlerts(String fallback, List<FailureRecord> failures, List<String> standingInFor) {
        Map<List<String>, List<FailureRecord>> groups = new LinkedHashMap<>();
        for (int i = 0; i < failures.size(); i++) {
            FailureRecord failure = failures.get(i);
            groups.computeIfAbsent(List.of(standingInFor.get(i), failure.routing().destination(fallback)),
                    key -> new ArrayList<>()).add(failure);
        }
        List<Notice> notices = new ArrayList<>();
        groups.forEach((where, group) -> {
            if (group.size() > digestThreshold) {
                notices.add(new Notice(Notice.Kind.DIGEST, fallback, where.get(1), where.get(0), group));
            } else {
                group.forEach(failure -> notices.add(
                        new Notice(Notice.Kind.ALERT, fallback, where.get(1), where.get(0), List.of(failure))));
            }
        });
        return notices;
    }

    /**
     * The channel took the notice: recorded before it counts as sent. A fallback delivery also settles the fallback
     * channel's own share of the same notice, when it has one, so its people do not get it twice.
     */
    public void delivered(Notice notice) {
        if (notice.isAboutProblem()) {
            problemDelivered.accept(notice);
            return;
        }
        for (FailureRecord failure : notice.failures()) {
            AlertState.Key key = new AlertState.Key(failure.tmUid(), failure.taskId());
            gaveUp.remove(new GaveUp(key, notice.onBehalfOf()));
            List<String> settled = notice.isFallback() ? List.of(notice.onBehalfOf(), notice.channel())
                    : List.of(notice.channel());
            for (String channel : settled) {
                switch (notice.kind()) {
                    case ALERT, DIGEST -> {
                        if (channel.equals(notice.onBehalfOf()) || failure.routing().channels().contains(channel)) {
                            state.alerted(key, channel, notice.channel());
                        }
                    }
                    case REMINDER -> {
                        if (channel.equals(notice.onBehalfOf()) || failure.carriers().contains(channel)) {
                            state.reminded(key, channel);
                        }
                    }
                    case RESOLVED -> {
                        if (channel.equals(notice.onBehalfOf()) || failure.carriers().contains(channel)) {
                            state.notifiedResolved(key, channel);
                        }
                    }
                    case PROBLEM, RECOVERED -> throw new IllegalStateException("handled above");
                }
            }
        }
    }

    /**
     * The channel did not take the notice after its retries (route configuration {@code alert-delivery}): the
     * fallback channel may now stand in for it. Kept in memory only: after a restart the channel tries again first.
     */
    public void notDelivered(Notice notice) {
        if (notice == null || notice.isAboutProblem() || notice.isFallback()) {
            return;
        }
        for (FailureRecord failure : notice.failures()) {
            gaveUp.add(new GaveUp(new AlertState.Key(failure.tmUid(), failure.taskId()), notice.channel()));
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

    private boolean gaveUp(AlertState.Key key, String channel) {
        return gaveUp.contains(new GaveUp(key, channel));
    }

    private List<String> dueTargets(FailureRecord failure) {
        return failure.unsettledTargets().stream().filter(configuredChannels::contains).toList();
    }

    private boolean isReminderDue(FailureRecord failure, String carrier, Instant now) {
        if (repeatInterval.isZero()) {
            return false;
        }
        Instant last = failure.lastTold(carrier);
        return last != null && !last.plus(repeatInterval).isAfter(now);
    }
}
