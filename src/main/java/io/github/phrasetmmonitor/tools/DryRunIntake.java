package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.alert.IncidentIntake;
import io.github.phrasetmmonitor.classify.TaskCheck;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.Routing;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.Exchange;

/**
 * Stands in for the {@code incidents} bean of the routes during {@code explain}: it takes what the check route hands
 * the real {@link IncidentIntake} (a failed task with the routing the rules decided, or a task that succeeded) and
 * keeps it for the report instead of recording it. The routing is read by the real intake's own rules, so a rule
 * that the monitor would refuse is refused here too.
 */
final class DryRunIntake {

    private final IncidentIntake real;
    private TaskCheck check;
    private Routing routing;
    private boolean stuck;
    private RuntimeException refused;

    DryRunIntake(IncidentIntake real) {
        this.real = real;
    }

    /** A failed task, routed: kept, not recorded. */
    public boolean taskFailed(Exchange exchange) {
        check = exchange.getMessage().getBody(TaskCheck.class);
        try {
            routing = real.routing(exchange);
        } catch (RuntimeException e) {
            refused = e;
            throw e;
        }
        return true;
    }

    /**
     * Whether a running task has run longer than monitor.stuck-after: the real intake's judgement, on the dry run's
     * scratch state, which knows no stuck task yet.
     */
    public boolean isNewlyStuck(@Body TaskCheck running) {
        return real.isNewlyStuck(running);
    }

    /** A task running past monitor.stuck-after, routed: kept, not recorded. */
    public void taskStuck(Exchange exchange) {
        stuck = true;
        taskFailed(exchange);
    }

    /** A running task: kept, ends nothing. */
    public void taskRunning(@Body TaskCheck running) {
        check = running;
    }

    /** A task that finished without error: kept, resolves nothing. */
    public void taskSucceeded(@Body TaskCheck succeeded) {
        check = succeeded;
    }

    /** No problem is detected in a dry run. */
    public List<Incident> unrouted() {
        return List.of();
    }

    public void problemRouted(Exchange exchange) {
        // no problem is routed in a dry run
    }

    TaskCheck check() {
        return check;
    }

    Routing routing() {
        return routing;
    }

    /** Whether the routed task is one running past monitor.stuck-after rather than a failure. */
    boolean stuck() {
        return stuck;
    }

    /** What the intake said about a routing the rules got wrong; null when there is none. */
    RuntimeException refused() {
        return refused;
    }
}
