package io.github.phrasetmmonitor.state;

import io.github.phrasetmmonitor.text.SafeText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the monitor remembers about one failed task of one TM, from detection until it is closed: what the
 * alert says, who is to be told (its routing), which channels took the alert and how, when each was last reminded,
 * and, once a later task succeeded, the resolution and the channels that took the resolved notice.
 *
 * <p>A target channel is "settled" once it took the alert itself, or the fallback channel took it on its behalf
 * ({@link Delivery#via()} names the channel that carried it). The carriers, the channels that really carried the
 * alert, are the ones reminders and the resolved notice go to. Immutable: every change is a new record, which the
 * state store appends to its journal.
 */
public record FailureRecord(
        FailureFacts facts,
        Routing routing,
        Instant detectedAt,
        Map<String, Delivery> alerted,
        Map<String, Instant> reminded,
        Resolution resolution) {

    /** The alert reached a target channel's people, on {@code via} (the channel itself or the fallback). */
    public record Delivery(String via, Instant at) {
    }

    /**
     * A later task of the TM finished without error; {@code notified} are the carriers that took the notice. Phrase's
     * task id and action are bounded here, as in {@link FailureFacts}.
     */
    public record Resolution(String taskId, String action, String finished, Instant at, Set<String> notified) {
        public Resolution {
            taskId = SafeText.id(taskId);
            action = SafeText.code(action);
            notified = Set.copyOf(notified);
        }
    }

    public FailureRecord {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(routing, "routing");
        alerted = Map.copyOf(alerted);
        reminded = Map.copyOf(reminded);
    }

    public static FailureRecord detected(FailureFacts facts, Routing routing, Instant at) {
        return new FailureRecord(facts, routing, at, Map.of(), Map.of(), null);
    }

    public String tmUid() {
        return facts.tmUid();
    }

    public String taskId() {
        return facts.taskId();
    }

    public boolean isResolved() {
        return resolution != null;
    }

    /** Target channels that have not got the alert yet, in routing order. */
    public List<String> unsettledTargets() {
        return routing.channels().stream().filter(channel -> !alerted.containsKey(channel)).toList();
    }

    /** The channels that carried the alert, each once, in routing order. */
    public Set<String> carriers() {
        Set<String> carriers = new LinkedHashSet<>();
        routing.channels().stream().map(alerted::get).filter(Objects::nonNull).map(Delivery::via)
                .forEach(carriers::add);
        return carriers;
    }

    /** When people on {@code carrier} last heard about this failure: the alert, or the last reminder. */
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

    public FailureRecord withAlerted(String target, String via, Instant at) {
        Map<String, Delivery> next = new LinkedHashMap<>(alerted);
        next.putIfAbsent(target, new Delivery(via, at));
        return new FailureRecord(facts, routing, detectedAt, next, reminded, resolution);
    }

    public FailureRecord withReminded(String carrier, Instant at) {
        Map<String, Instant> next = new LinkedHashMap<>(reminded);
        next.put(carrier, at);
        return new FailureRecord(facts, routing, detectedAt, alerted, next, resolution);
    }

    public FailureRecord withResolution(Resolution resolved) {
        return new FailureRecord(facts, routing, detectedAt, alerted, reminded, resolved);
    }

    public FailureRecord withNotified(String carrier) {
        Set<String> notified = new LinkedHashSet<>(resolution.notified());
        notified.add(carrier);
        return withResolution(new Resolution(resolution.taskId(), resolution.action(), resolution.finished(),
                resolution.at(), notified));
    }

    /** Nothing more to send: resolved and every carrier has the resolved notice. */
    public boolean isDone() {
        return resolution != null && owedResolvedNotice().isEmpty();
    }
}
