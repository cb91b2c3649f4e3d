package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.settings.AlertChannels;
import io.github.phrasetmmonitor.classify.TaskCheck;
import io.github.phrasetmmonitor.classify.TaskOutcome;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Fence;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentKey;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.Routing;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.Exchange;

/**
 * Where incidents enter the pipeline, with the routing the rules in {@code routes/alert-routing.camel.yaml} decided:
 * a failed task as it is polled, a problem of the monitor after the problem check detected it (it waits unrouted
 * until then); a task still running after {@code monitor.stuck-after}; and a task that succeeded, which resolves an
 * alerted failure. Every polled task also ends a stuck task of its TM that is no longer running. The routing is
 * checked here, so a rule with a typo is reported by the line naming it instead of losing alerts.
 */
public final class IncidentIntake {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private final IncidentState state;
    private final RoundUnderWay roundUnderWay;
    private final Map<String, AlertChannel> channels;
    private final Duration stuckAfter;

    /**
     * @param channels   the channels with settings (alert.channels and alert.fallback-channel), by name
     * @param stuckAfter monitor.stuck-after; {@link Duration#ZERO} when off
     */
    public IncidentIntake(IncidentState state, Map<String, AlertChannel> channels, Duration stuckAfter,
                          RoundUnderWay roundUnderWay) {
        this.roundUnderWay = roundUnderWay;
        this.state = state;
        this.channels = Map.copyOf(channels);
        this.stuckAfter = stuckAfter;
    }

    /**
     * A failed task (the body), to be alerted as routed; nothing changes when it is already known. A stuck task of
     * the TM is over first (its resolved notice says it finished), so the failure is alerted on its own.
     */
    public boolean taskFailed(Exchange exchange) {
        TaskCheck check = exchange.getMessage().getBody(TaskCheck.class);
        taskMoved(check, fenceOf(exchange));
        // marked before it is recorded: a delivery pass in between would otherwise find it due
        roundUnderWay.found(exchange, check.tmUid());
        return state.failed(FailureFacts.of(check), routing(exchange), fenceOf(exchange));
    }

    /** A task that finished without error: resolves an unresolved failure of an earlier task of the same TM. */
    public void taskSucceeded(Exchange exchange) {
        TaskCheck check = exchange.getMessage().getBody(TaskCheck.class);
        taskMoved(check, fenceOf(exchange));
        state.succeeded(check.tmUid(), check.taskId(), check.action(), finished(check), fenceOf(exchange));
    }

    /**
     * A running task (the body): whether it has run longer than {@code monitor.stuck-after} since Phrase created it
     * and is not known as stuck yet, so the routing rules are asked only once. Never with the setting off, nor for a
     * task without a start time.
     */
    public boolean isNewlyStuck(@Body TaskCheck check) {
        if (stuckAfter.isZero() || check.createdAt() == null
                || check.createdAt().toInstant().plus(stuckAfter).isAfter(state.now())) {
            return false;
        }
        return !state.knows(IncidentKey.stuck(check.tmUid(), check.taskId()));
    }

    /**
     * A task running longer than monitor.stuck-after (the body), to be alerted as routed, once. Returns nothing, so
     * the body stays the task for the steps after it.
     */
    public void taskStuck(Exchange exchange) {
        TaskCheck check = exchange.getMessage().getBody(TaskCheck.class);
        roundUnderWay.found(exchange, check.tmUid());
        state.stuck(FailureFacts.stuck(check), routing(exchange), fenceOf(exchange));
    }

    /** A running task (the body): a stuck task of its TM that this one followed is over. */
    public void taskRunning(Exchange exchange) {
        taskMoved(exchange.getMessage().getBody(TaskCheck.class), fenceOf(exchange));
    }

    private void taskMoved(TaskCheck check, Fence fence) {
        state.taskMoved(check.tmUid(), check.taskId(), check.outcome() == TaskOutcome.RUNNING, check.action(),
                finished(check), fence);
    }

    /** The round's fence, which the poll route's checks carry (in one process, always open). */
    private static Fence fenceOf(Exchange exchange) {
        Fence fence = exchange.getProperty(Fence.PROPERTY, Fence.class);
        return fence == null ? Fence.OPEN : fence;
    }

    private static String finished(TaskCheck check) {
        return check.finishedAt() == null ? null
                : WHEN.format(check.finishedAt().atZoneSameInstant(ZoneOffset.UTC));
    }

    /** Problems detected and not routed yet, for the routing rules. */
    public List<Incident> unrouted() {
        return state.unrouted();
    }

    /** The routing rules decided who is told about this problem (the body). */
    public void problemRouted(Exchange exchange) {
        Incident incident = exchange.getMessage().getBody(Incident.class);
        state.routed(incident.key(), routing(exchange));
    }

    /**
     * The routing the rules left in the exchange's variables: {@code alertChannels}, and each channel's own
     * ({@link AlertChannel#routingVariable()}).
     *
     * @throws IllegalArgumentException naming the routing variable that is wrong
     */
    public Routing routing(Exchange exchange) {
        Set<String> chosen = AlertChannels.names(exchange.getVariable("alertChannels", String.class));
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("the routing rules gave this incident no channel (variable alertChannels)");
        }
        for (String channel : chosen) {
            if (!channels.containsKey(channel)) {
                throw new IllegalArgumentException("a routing rule sends to channel '" + channel + "', which is not"
                        + " configured; use one of alert.channels or alert.fallback-channel: " + channels.keySet());
            }
        }
        Map<String, String> destinations = new LinkedHashMap<>();
        channels.forEach((name, channel) -> destinations.put(name,
                channel.destination(exchange.getVariable(channel.routingVariable(), String.class))));
        return new Routing(List.copyOf(chosen), destinations);
    }
}
