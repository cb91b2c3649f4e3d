package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.silence.Silences;
import io.github.phrasetmmonitor.state.Decision;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentKey;
import io.github.phrasetmmonitor.state.IncidentState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one planner of the incident pipeline: decides which notices are due on a channel, for failed tasks and the
 * monitor's own problems alike: alerts (one each, or a digest per destination when more incidents of a kind are due
 * than {@code alert.digest-threshold}), reminders, resolved notices (recoveries, for problems), and fallback
 * deliveries for what a channel did not take. Planning changes nothing; what happened is recorded only by
 * {@link #delivered}, {@link #partlyDelivered} and {@link #notDelivered}. The route {@code deliver-due} calls these
 * steps in order.
 *
 * <p>A notice goes to the recipients of its destination that do not have it yet: on a channel whose server takes or
 * refuses each recipient on its own (email), those that took it in an earlier attempt are left out, and so are those
 * the server refused for good since the monitor started ({@link AlertChannel#reachable}). When none is left, nothing
 * is due there; the fallback channel, if any, stands in.
 *
 * <p>A notice of an incident that a silence or maintenance window covers is held back ({@link #silenced}, the one
 * place silences act); with {@code alert.after-silence=drop} it is recorded there as told without being sent.
 */
public final class AlertPlanner {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.alert");

    private final IncidentState state;
    private final Map<String, AlertChannel> channels;
    private final Set<String> configuredChannels;
    private final List<String> channelOrder;
    private final Optional<String> fallbackChannel;
    /** alert.repeat-interval and alert.digest-threshold; a reload may swap them. */
    private volatile Duration repeatInterval;
    private volatile int digestThreshold;
    private final RoundUnderWay roundUnderWay;
    private final Silences silences;
    private final DecisionRecord decisions;
    /** Incidents a channel tried to deliver and did not: what the fallback channel may carry for it. */
    private final Set<GaveUp> gaveUp = ConcurrentHashMap.newKeySet();

    private record GaveUp(IncidentKey key, String channel) {
    }

    /** An incident due on a channel, for the people of {@code onBehalfOf}, to the recipients that lack it. */
    private record Due(Incident incident, String onBehalfOf, String destination) {
    }

    /**
     * @param channels       the channels with settings now, by name; an incident routed to a channel that has since
     *                       been switched off waits until it is configured again
     * @param repeatInterval {@link Duration#ZERO} when reminders are off
     */
    public AlertPlanner(IncidentState state, Map<String, AlertChannel> channels, Optional<String> fallbackChannel,
                        Duration repeatInterval, int digestThreshold, RoundUnderWay roundUnderWay) {
        this(state, channels, fallbackChannel, repeatInterval, digestThreshold, roundUnderWay, Silences.NONE);
    }

    /** @param silences the maintenance windows and ad-hoc silences whose incidents' notices are held back */
    public AlertPlanner(IncidentState state, Map<String, AlertChannel> channels, Optional<String> fallbackChannel,
                        Duration repeatInterval, int digestThreshold, RoundUnderWay roundUnderWay,
                        Silences silences) {
        this(state, channels, fallbackChannel, repeatInterval, digestThreshold, roundUnderWay, silences,
                new DecisionRecord(state, null));
    }

    /** @param decisions where the notices sent and held back are recorded, with the node that decided */
    public AlertPlanner(IncidentState state, Map<String, AlertChannel> channels, Optional<String> fallbackChannel,
                        Duration repeatInterval, int digestThreshold, RoundUnderWay roundUnderWay,
                        Silences silences, DecisionRecord decisions) {
        this.silences = silences;
        this.decisions = decisions;
        this.roundUnderWay = roundUnderWay;
        this.state = state;
        this.channels = Map.copyOf(channels);
        this.configuredChannels = Set.copyOf(channels.keySet());
        this.channelOrder = List.copyOf(channels.keySet());
        this.fallbackChannel = fallbackChannel;
        this.repeatInterval = repeatInterval;
        this.digestThreshold = digestThreshold;
    }

    /** A reload changed alert.repeat-interval or alert.digest-threshold: the next delivery pass plans with these. */
    public void takeOver(Duration repeatInterval, int digestThreshold) {
        this.repeatInterval = repeatInterval;
        this.digestThreshold = digestThreshold;
    }

    /** The channels with settings (alert.channels, then alert.fallback-channel): each has a delivery thread. */
    public List<String> channels() {
        return channelOrder;
    }

    /**
     * Alerts on {@code channel} for the routed, unresolved incidents it has not taken yet (new, or still pending):
     * one each, or, when more incidents of a kind are due than {@code alert.digest-threshold}, one digest per
     * destination.
     */
    public List<Notice> announcements(String channel) {
        BiPredicate<String, Instant> held = roundUnderWay.held();
        List<Due> due = new ArrayList<>();
        List<Incident> heldBack = new ArrayList<>();
        for (Incident incident : state.openIncidents()) {
            if (!incident.isResolved() && dueTargets(incident).contains(channel)) {
                if (heldByItsRound(incident, held)) {
                    heldBack.add(incident);
                } else if (!silenced(incident, channel, Incident.Stage.ALERT)) {
                    due(due, incident, channel, channel, Incident.Stage.ALERT);
                }
            }
        }
        // a storm found by a long round: one journal sync for all it holds back, once, not one each per pass
        decisions.heldAll(heldBack, channel, "alert", Decision.Reason.HELD_FOR_ROUND,
                "found by a round still under way; due when it ends");
        return notices(Notice.Kind.ALERT, Notice.Kind.DIGEST, channel, due);
    }

    /**
     * With {@code alert.repeat-interval}: a reminder on {@code channel}, when it carries an unresolved incident and
     * was not told about it for that long; listed per destination when more than the threshold are due.
     */
    public List<Notice> reminders(String channel) {
        if (repeatInterval(channel).isZero() || !configuredChannels.contains(channel)) {
            return List.of();
        }
        Instant now = state.now();
        List<Due> due = new ArrayList<>();
        for (Incident incident : state.openIncidents()) {
            if (!incident.isResolved() && incident.carriers().contains(channel)
                    && isReminderDue(incident, channel, now)
                    && !silenced(incident, channel, Incident.Stage.REMINDER)) {
                due(due, incident, channel, channel, Incident.Stage.REMINDER);
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
            if (incident.owedResolvedNotice().contains(channel)
                    && !silenced(incident, channel, Incident.Stage.RESOLVED)) {
                due(due, incident, channel, channel, Incident.Stage.RESOLVED);
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
            if (silences.silencing(incident).isPresent()) {
                continue; // held back on its own channels too; with after-silence=drop, settled there
            }
            if (!incident.isResolved()) {
                dueTargets(incident).stream().filter(channel -> gaveUp(incident, channel, standIn))
                        .forEach(channel -> due(alerts, incident, standIn, channel, Incident.Stage.ALERT));
                incident.carriers().stream()
                        .filter(carrier -> gaveUp(incident, carrier, standIn) && isReminderDue(incident, carrier, now))
                        .forEach(carrier -> due(reminders, incident, standIn, carrier, Incident.Stage.REMINDER));
            } else {
                incident.owedResolvedNotice().stream().filter(carrier -> gaveUp(incident, carrier, standIn))
                        .forEach(carrier -> due(resolved, incident, standIn, carrier, Incident.Stage.RESOLVED));
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
        delivered(notice, null);
    }

    /**
     * As {@link #delivered(Notice)}, for a channel that answered with the id of the message it posted (Slack's
     * chat.postMessage, with a bot token): an alert or digest records it with the delivery, in the same journal line,
     * so its reminders and resolved notice reply in its thread, after a restart too. Null when there is none.
     */
    public void delivered(Notice notice, Incident.MessageId posted) {
        Decision sent = decisions.sent(notice, reachable(notice));
        for (Incident incident : notice.incidents()) {
            // the decision goes in the journal line of the first change (always the people the notice was for)
            Decision decision = sent;
            IncidentKey key = incident.key();
            gaveUp.remove(new GaveUp(key, notice.onBehalfOf()));
            List<String> settled = notice.isFallback() ? List.of(notice.onBehalfOf(), notice.channel())
                    : List.of(notice.channel());
            for (String channel : settled) {
                boolean forThem = channel.equals(notice.onBehalfOf());
                boolean concerned = forThem || switch (notice.kind()) {
                    case ALERT, DIGEST -> incident.routing().channels().contains(channel);
                    case REMINDER, RESOLVED -> incident.carriers().contains(channel);
                };
                if (concerned) {
                    state.delivered(key, stage(notice.kind()), channel, notice.channel(), posted, decision);
                    decision = null;
                }
            }
            if (!notice.isFallback() && fallbackChannel.filter(notice.channel()::equals).isPresent()) {
                coverGaveUp(key, notice);
            }
        }
    }

    /**
     * The channel took the notice for some of its recipients ({@code took}), and not yet for the others: recorded
     * before it counts, so the next attempt, in this round, a later one or after a restart, goes only to the others.
     */
    public void partlyDelivered(Notice notice, Set<String> took) {
        if (took.isEmpty()) {
            return;
        }
        for (Incident incident : notice.incidents()) {
            state.took(incident.key(), notice.channel(), stage(notice.kind()), took);
        }
    }

    /**
     * What becomes of a notice its channel did not take after its retries, for the log line: the fallback channel
     * stands in (unless the channel took it for some of its recipients: the others get it from the same channel
     * later), or a later round tries again, or, when the server refused every recipient for good, nothing until the
     * settings change or the monitor restarts.
     */
    public String afterFailure(Notice notice) {
        return whatFollows(notice).words();
    }

    /** What follows a failed delivery, as a reason of the decision record and the words of the log line. */
    private record AfterFailure(Decision.Reason reason, String detail, String words) {
    }

    private AfterFailure whatFollows(Notice notice) {
        Optional<String> standIn = notice.isFallback() ? Optional.empty()
                : fallbackChannel.filter(fallback -> !fallback.equals(notice.channel()));
        if (standIn.isPresent() && !tookInPart(notice)) {
            return new AfterFailure(Decision.Reason.WAITING_FOR_FALLBACK, "alert.fallback-channel " + standIn.get(),
                    "handed to alert.fallback-channel " + standIn.get());
        }
        AlertChannel channel = channels.get(notice.channel());
        Optional<Instant> heldBack = channel == null ? Optional.empty() : channel.heldBackUntil(notice);
        if (heldBack.isPresent()) {
            return new AfterFailure(Decision.Reason.TEMPORARILY_REFUSED, heldBackUntil(heldBack.get()),
                    "tried again at the first round after " + heldBack.get().truncatedTo(ChronoUnit.SECONDS)
                    + " (refused for now: the wait doubles with each refusal, up to "
                    + TemporaryRefusals.LONGEST.toMinutes() + " min)");
        }
        boolean reachable = channel == null
                || channel.recipients(notice.destination()).stream().anyMatch(channel::reachable);
        return reachable
                ? new AfterFailure(Decision.Reason.FAILED_WILL_RETRY, "tried again at the next round",
                        "tried again at the next round")
                : new AfterFailure(Decision.Reason.FAILED_GAVE_UP,
                        "not tried again until the settings change or the monitor restarts",
                        "not tried again until the settings change or the monitor restarts");
    }

    private static String heldBackUntil(Instant until) {
        return "the SMTP server refused it for now; not tried before " + until.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * Whether the notice may be sent now (route {@code deliver-each}): not while its channel holds it back, as email
     * does for a while after the SMTP server refused it for now.
     */
    public boolean notHeldBack(Notice notice) {
        AlertChannel channel = channels.get(notice.channel());
        Optional<Instant> heldBack = channel == null ? Optional.empty() : channel.heldBackUntil(notice);
        heldBack.ifPresent(until -> decisions.held(notice, Decision.Reason.TEMPORARILY_REFUSED, heldBackUntil(until)));
        return heldBack.isEmpty();
    }

    /** Whether the channel took the notice for some of its recipients, for any of its incidents. */
    private boolean tookInPart(Notice notice) {
        return notice.incidents().stream().anyMatch(incident -> tookInPart(incident.key(), notice));
    }

    /** Whether the channel took the notice for some of its recipients, as the state says now. */
    private boolean tookInPart(IncidentKey key, Notice notice) {
        Incident.Stage stage = stage(notice.kind());
        return state.find(key).filter(now -> !now.took(notice.channel(), stage).isEmpty()).isPresent();
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
        if (notice != null) {
            AfterFailure follows = whatFollows(notice);
            decisions.held(notice, follows.reason(), follows.detail());
        }
        if (notice == null || notice.isFallback() || fallbackChannel.isEmpty()
                || fallbackChannel.get().equals(notice.channel())) {
            return;
        }
        String fallback = fallbackChannel.get();
        for (Incident incident : notice.incidents()) {
            IncidentKey key = incident.key();
            if (tookInPart(key, notice)) {
                continue; // some of the channel's people have it: the others get it from the same channel later
            }
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
     * Whether a silence or maintenance window holds back the notice of {@code stage} of the incident on
     * {@code channel} now: the one place silences act on delivery. With {@code alert.after-silence=drop}, the notice
     * is recorded as told without being sent, so nothing of it comes when the silence ends (a dropped alert makes no
     * carrier: no reminder or resolved notice follows it); with {@code tell}, it stays due and goes out, once, at the
     * first pass after the silence.
     */
    private boolean silenced(Incident incident, String channel, Incident.Stage stage) {
        Optional<Silences.Silencing> silencing = silences.silencing(incident);
        if (silencing.isEmpty()) {
            return false;
        }
        boolean drop = silences.afterSilence() == Silences.AfterSilence.DROP;
        decisions.silenced(incident, channel, incident.routing().destination(channel),
                stage.name().toLowerCase(java.util.Locale.ROOT), "by " + silencing.get().by() + (drop
                        ? "; dropped (alert.after-silence=drop)" : "; sent once it ends (alert.after-silence=tell)"));
        if (silences.afterSilence() == Silences.AfterSilence.DROP) {
            IncidentKey key = incident.key();
            LOG.info("{} {} dropped: silenced by {} (alert.after-silence=drop)", channel, describe(incident, stage),
                    silencing.get().by());
            switch (stage) {
                case ALERT -> state.alerted(key, channel, Incident.DROPPED_BY_SILENCE);
                case REMINDER -> state.reminded(key, channel);
                case RESOLVED -> state.notifiedResolved(key, channel);
            }
        }
        return true;
    }

    private static String describe(Incident incident, Incident.Stage stage) {
        String what = incident.isProblem() ? "problem " + incident.problemKey()
                : "TM " + incident.tmUid() + " task " + incident.taskId();
        return stage.name().toLowerCase(java.util.Locale.ROOT) + " of " + what;
    }

    /** A failed or stuck task found by a round still under way: announced when that round ends. */
    private static boolean heldByItsRound(Incident incident, BiPredicate<String, Instant> held) {
        return !incident.isProblem() && incident.detectedAt() != null
                && held.test(incident.tmUid(), incident.detectedAt());
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
            groups.computeIfAbsent(List.of(entry.onBehalfOf(), incident.kind(), entry.destination()),
                    key -> new ArrayList<>()).add(incident);
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

    /**
     * Adds the incident to what is due on {@code channel} for the people of {@code onBehalfOf}, addressed to the
     * recipients that lack the notice of {@code stage}; nothing when none is left to send to.
     */
    private void due(List<Due> due, Incident incident, String channel, String onBehalfOf, Incident.Stage stage) {
        refusedForGood(incident, channel, stage);
        String destination = remaining(incident, channel, stage);
        if (!destination.isEmpty()) {
            due.add(new Due(incident, onBehalfOf, destination));
        }
    }

    /** The recipients of the incident's destination on {@code channel} that lack the notice and can get it. */
    private String remaining(Incident incident, String channel, Incident.Stage stage) {
        String destination = incident.routing().destination(channel);
        AlertChannel carrier = channels.get(channel);
        Set<String> took = incident.took(channel, stage);
        if (carrier == null) {
            return destination;
        }
        return String.join(",", carrier.recipients(destination).stream()
                .filter(recipient -> !took.contains(recipient) && carrier.reachable(recipient)).toList());
    }

    /** The notice's recipients its channel can reach: those the server did not refuse for good. */
    private String reachable(Notice notice) {
        AlertChannel carrier = channels.get(notice.channel());
        return carrier == null ? notice.destination() : String.join(",", carrier.recipients(notice.destination())
                .stream().filter(carrier::reachable).toList());
    }

    /**
     * The server refused {@code address} for good while sending {@code notice} (route {@code send-email-smtp}): in
     * the record of each of its incidents; later notices leave it out ({@link #refusedForGood}), in the same words.
     */
    public void refusedForGood(Notice notice, String address) {
        decisions.held(notice, address, Decision.Reason.REFUSED_RECIPIENT, REFUSED_FOR_GOOD);
    }

    private static final String REFUSED_FOR_GOOD = "refused for good by the server; left out until the settings"
            + " change or the monitor restarts";

    /** Recipients of the notice the server refused for good are left out of it: recorded, once while it lasts. */
    private void refusedForGood(Incident incident, String channel, Incident.Stage stage) {
        AlertChannel carrier = channels.get(channel);
        if (carrier == null) {
            return;
        }
        String destination = incident.routing().destination(channel);
        List<String> refused = carrier.recipients(destination).stream()
                .filter(recipient -> !carrier.reachable(recipient)).toList();
        if (!refused.isEmpty()) {
            decisions.held(incident, channel, String.join(",", refused), stage.name().toLowerCase(java.util.Locale.ROOT),
                    Decision.Reason.REFUSED_RECIPIENT, REFUSED_FOR_GOOD);
        }
    }

    /** The server refused every recipient of the incident's destination on {@code channel} for good. */
    private boolean unreachable(Incident incident, String channel) {
        AlertChannel carrier = channels.get(channel);
        return carrier != null && carrier.recipients(incident.routing().destination(channel)).stream()
                .noneMatch(carrier::reachable);
    }

    /** Whether the fallback channel stands in for {@code channel}: it gave up, or can reach none of the people. */
    private boolean gaveUp(Incident incident, String channel, String standIn) {
        return !channel.equals(standIn) && (gaveUp.contains(new GaveUp(incident.key(), channel))
                || unreachable(incident, channel));
    }

    private static Incident.Stage stage(Notice.Kind kind) {
        return switch (kind) {
            case ALERT, DIGEST -> Incident.Stage.ALERT;
            case REMINDER -> Incident.Stage.REMINDER;
            case RESOLVED -> Incident.Stage.RESOLVED;
        };
    }

    private List<String> dueTargets(Incident incident) {
        return incident.unsettledTargets().stream().filter(configuredChannels::contains).toList();
    }

    private boolean isReminderDue(Incident incident, String carrier, Instant now) {
        Duration interval = repeatInterval(carrier);
        if (interval.isZero()) {
            return false;
        }
        Instant last = incident.lastTold(carrier);
        return last != null && !last.plus(interval).isAfter(now);
    }

    /** alert.repeat-interval, or the channel's own when it declares one ({@link AlertChannel#repeatInterval}). */
    private Duration repeatInterval(String channel) {
        AlertChannel carrier = channels.get(channel);
        return carrier == null ? repeatInterval : carrier.repeatInterval().orElse(repeatInterval);
    }
}
