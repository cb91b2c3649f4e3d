package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.phrasetmmonitor.text.SafeText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the monitor remembers about one incident, from detection until it is closed. An incident is a failed
 * task of a watched TM ({@link #facts}), a task stuck in RUNNING ({@link #facts} with {@link FailureFacts#isStuck()})
 * or a problem of the monitor itself ({@link #problem}); all live the same life: who is to be told (its routing),
 * which channels took the alert and how, when each was last reminded, and, once it is over (a later task succeeded,
 * a stuck task ended, the problem cleared), the resolution and the channels that took the resolved notice.
 *
 * <p>A problem is detected before it is routed: the routing rules run in the YAML after detection, so
 * {@link #routing} is null until then and nothing is due for an unrouted incident.
 *
 * <p>A target channel is "settled" once it took the alert itself, or the fallback channel took it on its behalf
 * ({@link Delivery#via()} names the channel that carried it). The carriers, the channels that really carried the
 * alert, are the ones reminders and the resolved notice go to.
 *
 * <p>A channel with several recipients (email) may take a notice for some of them and not yet for the others (a
 * server that refuses one address): {@link #partly} keeps, per channel, who took the notice now due there, so the
 * next attempt goes only to the others; once they have it too, the notice is recorded as usual and that is cleared.
 * A channel that carried the alert to some of its recipients is a carrier: the resolved notice goes there.
 *
 * <p>Immutable: every change is a new record, which the state store appends to its journal. The field names are
 * those of the 0.x {@code FailureRecord}, so its journal lines read as incidents; a line without {@code partly}
 * (written before it existed) reads as nobody having taken a notice in part.
 *
 * <p>{@link #history} is the incident's decision record, bounded: every notice sent, every one held back and why
 * ({@link Decision}); a line without it reads as an incident with none yet.
 */
public record Incident(
        FailureFacts facts,
        ProblemFacts problem,
        Routing routing,
        Instant detectedAt,
        Map<String, Delivery> alerted,
        Map<String, Instant> reminded,
        Resolution resolution,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Partly> partly,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Decision> history) {

    /** What routing rules see as the variable {@code incidentKind}. */
    public static final String TASK_FAILED = "task-failed";
    public static final String PROBLEM = "problem";
    public static final String TASK_STUCK = "task-stuck";
    /**
     * The {@link Delivery#via()} of an alert a silence dropped ({@code alert.after-silence=drop}): the target counts as
     * told, yet no channel carried it, so neither reminders nor a resolved notice follow.
     */
    public static final String DROPPED_BY_SILENCE = "(dropped by a silence)";

    /**
     * The alert reached a target channel's people, on {@code via} (the channel itself or the fallback). With a Slack
     * bot token, {@code message} is the Slack message that carried it, whose thread gets the reminders and the
     * resolved notice; null for a webhook, an email, and lines written before it existed.
     */
    public record Delivery(String via, Instant at, @JsonInclude(JsonInclude.Include.NON_NULL) MessageId message) {

        public Delivery(String via, Instant at) {
            this(via, at, null);
        }
    }

    /**
     * A message Slack's Web API posted (chat.postMessage): Slack's channel id (e.g. {@code C0123ABCD}, not the
     * monitor's channel) and its {@code ts}, which names it in a thread reply and in chat.update. {@code digest}: it
     * listed several incidents, so one of them being resolved does not change it. Ids only, never a secret.
     */
    public record MessageId(String channel, String ts, boolean digest) {
        public MessageId {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(ts, "ts");
        }
    }

    /** Which notice a channel took in part: the alert, the reminder due now, or the resolved notice. */
    public enum Stage { ALERT, REMINDER, RESOLVED }

    /** The recipients of a channel that took the notice of {@code stage}, while others have not yet. */
    public record Partly(Stage stage, Set<String> recipients) {
        public Partly {
            Objects.requireNonNull(stage, "stage");
            recipients = Set.copyOf(recipients == null ? Set.of() : recipients);
        }
    }

    /**
     * The incident is over: a later task of the TM finished without error (its id, action and end), or the problem
     * cleared (only {@code at}); {@code notified} are the carriers that took the notice. Phrase's task id and action
     * are bounded here, as in {@link FailureFacts}.
     */
    public record Resolution(String taskId, String action, String finished, Instant at, Set<String> notified) {
        public Resolution {
            taskId = SafeText.id(taskId);
            action = SafeText.code(action);
            notified = Set.copyOf(notified == null ? Set.of() : notified);
        }
    }

    public Incident {
        if ((facts == null) == (problem == null)) {
            throw new IllegalArgumentException("an incident is either a failed task or a monitor problem");
        }
        alerted = Map.copyOf(alerted == null ? Map.of() : alerted);
        reminded = Map.copyOf(reminded == null ? Map.of() : reminded);
        partly = Map.copyOf(partly == null ? Map.of() : partly);
        history = List.copyOf(history == null ? List.of() : history);
    }

    /** As before the decision record existed: an incident with none yet. */
    public Incident(FailureFacts facts, ProblemFacts problem, Routing routing, Instant detectedAt,
                    Map<String, Delivery> alerted, Map<String, Instant> reminded, Resolution resolution,
                    Map<String, Partly> partly) {
        this(facts, problem, routing, detectedAt, alerted, reminded, resolution, partly, List.of());
    }

    public static Incident detected(FailureFacts facts, Routing routing, Instant at) {
        return new Incident(Objects.requireNonNull(facts, "facts"), null, Objects.requireNonNull(routing, "routing"),
                at, Map.of(), Map.of(), null, Map.of());
    }

    /** A problem, not routed yet. */
    public static Incident detected(ProblemFacts problem, Instant at) {
        return new Incident(null, Objects.requireNonNull(problem, "problem"), null, at, Map.of(), Map.of(), null,
                Map.of());
    }

    public IncidentKey key() {
        if (problem != null) {
            return IncidentKey.problem(problem.key());
        }
        return facts.isStuck() ? IncidentKey.stuck(facts.tmUid(), facts.taskId())
                : IncidentKey.task(facts.tmUid(), facts.taskId());
    }

    public boolean isProblem() {
        return problem != null;
    }

    /*
     * For the routes: ${body.problem.kind} names both isProblem() and problem(), and Camel's simple language then finds
     * the call ambiguous or not depending on the order the JVM lists the methods in, so a problem could not be routed
     * at some starts. These names are unique.
     */

    /** The problem's kind ({@link ProblemFacts#kind()}), or null for a failed task. */
    public String problemKind() {
        return problem == null ? null : problem.kind();
    }

    /** The problem's key ({@link ProblemFacts#key()}), or null for a failed task. */
    public String problemKey() {
        return problem == null ? null : problem.key();
    }

    /** The name of the TM the problem is about, when known. */
    public String problemTmName() {
        return problem == null ? null : problem.tmName();
    }

    /** A task still RUNNING after monitor.stuck-after, not a failed one. */
    public boolean isStuck() {
        return facts != null && facts.isStuck();
    }

    /** {@link #TASK_FAILED}, {@link #TASK_STUCK} or {@link #PROBLEM}: notices never mix kinds. */
    public String kind() {
        return isProblem() ? PROBLEM : isStuck() ? TASK_STUCK : TASK_FAILED;
    }

    /** The watched TM it is about; null for a problem of the account or the monitor. */
    public String tmUid() {
        return isProblem() ? problem.tmUid() : facts.tmUid();
    }

    /** The failed (or stuck) task's id; null for a problem. */
    public String taskId() {
        return isProblem() ? null : facts.taskId();
    }

    public boolean isRouted() {
        return routing != null;
    }

    public boolean isResolved() {
        return resolution != null;
    }

    /** Target channels that have not got the alert yet, in routing order; none while not routed. */
    public List<String> unsettledTargets() {
        if (routing == null) {
            return List.of();
        }
        return routing.channels().stream().filter(channel -> !alerted.containsKey(channel)).toList();
    }

    /** The channels that carried the alert, each once, in routing order; one that carried it to some recipients too. */
    public Set<String> carriers() {
        Set<String> carriers = new LinkedHashSet<>();
        if (routing != null) {
            for (String channel : routing.channels()) {
                Delivery delivery = alerted.get(channel);
                if (delivery != null) {
                    if (!DROPPED_BY_SILENCE.equals(delivery.via())) {
                        carriers.add(delivery.via());
                    }
                } else if (!took(channel, Stage.ALERT).isEmpty()) {
                    carriers.add(channel);
                }
            }
        }
        return carriers;
    }

    /** The recipients on {@code channel} that already took the notice of {@code stage}; empty when none did. */
    public Set<String> took(String channel, Stage stage) {
        Partly part = partly.get(channel);
        return part == null || part.stage() != stage ? Set.of() : part.recipients();
    }

    /** The Slack message that carried the alert on {@code carrier}, if the channel recorded one. */
    public java.util.Optional<MessageId> message(String carrier) {
        return alerted.values().stream().filter(delivery -> delivery.via().equals(carrier))
                .map(Delivery::message).filter(Objects::nonNull).findFirst();
    }

    /** When people on {@code carrier} last heard about this incident: the alert, or the last reminder. */
    public Instant lastTold(String carrier) {
        Instant last = reminded.get(carrier);
        for (Delivery delivery : alerted.values()) {
            if (delivery.via().equals(carrier) && (last == null || delivery.at().isAfter(last))) {
                last = delivery.at();
            }
        }
        return last;
    }

    /** Carriers still owed the resolved notice. */
    public List<String> owedResolvedNotice() {
        if (resolution == null) {
            return List.of();
        }
        return carriers().stream().filter(carrier -> !resolution.notified().contains(carrier)).toList();
    }

    public Incident withAlerted(String target, String via, Instant at) {
        return withAlerted(target, via, at, null);
    }

    /** As {@link #withAlerted(String, String, Instant)}, with the Slack message that carried it (or null). */
    public Incident withAlerted(String target, String via, Instant at, MessageId message) {
        Map<String, Delivery> next = new LinkedHashMap<>(alerted);
        next.putIfAbsent(target, new Delivery(via, at, message));
        return new Incident(facts, problem, routing, detectedAt, next, reminded, resolution,
                settled(target, Stage.ALERT), history);
    }

    public Incident withReminded(String carrier, Instant at) {
        Map<String, Instant> next = new LinkedHashMap<>(reminded);
        next.put(carrier, at);
        return new Incident(facts, problem, routing, detectedAt, alerted, next, resolution,
                settled(carrier, Stage.REMINDER), history);
    }

    public Incident withResolution(Resolution resolved) {
        return new Incident(facts, problem, routing, detectedAt, alerted, reminded, resolved, partly, history);
    }

    public Incident withRouting(Routing routed) {
        return new Incident(facts, problem, routed, detectedAt, alerted, reminded, resolution, partly, history);
    }

    public Incident withProblem(ProblemFacts now) {
        return new Incident(facts, now, routing, detectedAt, alerted, reminded, resolution, partly, history);
    }

    public Incident withNotified(String carrier) {
        Set<String> notified = new LinkedHashSet<>(resolution.notified());
        notified.add(carrier);
        return new Incident(facts, problem, routing, detectedAt, alerted, reminded, new Resolution(
                resolution.taskId(), resolution.action(), resolution.finished(), resolution.at(), notified),
                settled(carrier, Stage.RESOLVED), history);
    }

    /**
     * These recipients on {@code channel} took the notice of {@code stage}, the others not yet. Added to those that
     * took it before; a part of an earlier notice (the alert, when the reminder is due now) is forgotten.
     */
    public Incident withTook(String channel, Stage stage, Set<String> recipients) {
        Set<String> took = new LinkedHashSet<>(took(channel, stage));
        took.addAll(recipients);
        Map<String, Partly> next = new LinkedHashMap<>(partly);
        next.put(channel, new Partly(stage, took));
        return new Incident(facts, problem, routing, detectedAt, alerted, reminded, resolution, next, history);
    }

    /** The part record of {@code channel} without the one of {@code stage}: that notice is recorded whole now. */
    private Map<String, Partly> settled(String channel, Stage stage) {
        Partly part = partly.get(channel);
        if (part == null || part.stage() != stage) {
            return partly;
        }
        Map<String, Partly> next = new LinkedHashMap<>(partly);
        next.remove(channel);
        return next;
    }

    /**
     * With {@code decision} at the end of its record, keeping the newest {@code bound} entries. A notice held back
     * again for the reason already recorded last on that channel changes nothing, so a pass that holds it back once
     * more writes no journal line.
     */
    public Incident withDecision(Decision decision, int bound) {
        for (int i = history.size() - 1; i >= 0; i--) {
            Decision earlier = history.get(i);
            if (java.util.Objects.equals(earlier.channel(), decision.channel())) {
                if (decision.repeats(earlier)) {
                    return this;
                }
                break;
            }
        }
        List<Decision> next = new java.util.ArrayList<>(history);
        next.add(decision);
        if (next.size() > bound) {
            next = next.subList(next.size() - bound, next.size());
        }
        return new Incident(facts, problem, routing, detectedAt, alerted, reminded, resolution, partly, next);
    }

    /** With the record of an earlier life of the same key (a problem that is back), bounded the same way. */
    public Incident withEarlierHistory(List<Decision> earlier, int bound) {
        List<Decision> next = new java.util.ArrayList<>(earlier);
        next.addAll(history);
        if (next.size() > bound) {
            next = next.subList(next.size() - bound, next.size());
        }
        return new Incident(facts, problem, routing, detectedAt, alerted, reminded, resolution, partly, next);
    }

    /**
     * Whether {@code other} is this incident as far as what is due goes: the decision record aside, since a notice
     * held back on one node must not make another node's plan look stale.
     */
    public boolean samePlanAs(Incident other) {
        return other != null && other.withHistory(history).equals(this);
    }

    private Incident withHistory(List<Decision> decisions) {
        return new Incident(facts, problem, routing, detectedAt, alerted, reminded, resolution, partly, decisions);
    }

    /** Nothing more to send: resolved and every carrier has the resolved notice. */
    public boolean isDone() {
        return resolution != null && owedResolvedNotice().isEmpty();
    }
}
