package io.github.phrasetmmonitor.metrics;

import io.github.phrasetmmonitor.health.MonitorHealth;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.phrase.RoundStoppedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Watches the routes from outside so the YAML stays about the flow: health and meters are updated when a TM check or
 * an alert delivery is done (rounds are reported by PollingRounds), and the monitor's problems learn which TM's check
 * succeeded or failed and why.
 * <ul>
 *   <li>route {@code check-translation-memory}: one exchange per TM; a check succeeded when it set the variable
 *   {@code outcome}, otherwise the exception its error handler caught says why not</li>
 *   <li>route {@code list-watched-translation-memories}: a refused listing of the account's TMs counts like a refused
 *   check</li>
 *   <li>every route with {@code routeConfigurationId: alert-delivery}: one notice on one channel; the variable
 *   {@code notice} says which channel and which kind (alert, digest, reminder, resolved)</li>
 * </ul>
 */
public final class MonitorRoutePolicies implements RoutePolicyFactory {

    public static final String CHECK_ROUTE = "check-translation-memory";
    public static final String LIST_ROUTE = "list-watched-translation-memories";
    public static final String POLL_ROUTE = "poll-translation-memories";
    public static final String DELIVERY_CONFIGURATION = "alert-delivery";

    private final MonitorHealth health;
    private final MonitorMetrics metrics;
    private final MonitorProblems problems;

    public MonitorRoutePolicies(MonitorHealth health, MonitorMetrics metrics, MonitorProblems problems) {
        this.health = health;
        this.metrics = metrics;
        this.problems = problems;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (CHECK_ROUTE.equals(routeId)) {
            return new CheckPolicy();
        }
        if (LIST_ROUTE.equals(routeId)) {
            return new ListPolicy();
        }
        if (route instanceof RouteDefinition definition
                && DELIVERY_CONFIGURATION.equals(definition.getRouteConfigurationId())) {
            return new DeliveryPolicy();
        }
        return null;
    }

    private static Throwable failureOf(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private final class CheckPolicy extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            Object outcome = exchange.getVariable("outcome");
            Throwable failure = failureOf(exchange);
            if (outcome == null && (failure == null && exchange.isRouteStop()
                    || failure instanceof RoundStoppedException)) {
                // not checked at all: its turn came after the monitor began to stop, or after Phrase refused the
                // credentials in this round, which the refused check reports (PollRound, CredentialsGate)
                return;
            }
            String tmUid = exchange.getVariable("tmUid", String.class);
            if (outcome != null) {
                // classified: whatever happened after (an alert not delivered) is not a poll error
                health.tmAnswered();
                problems.tmAnswered(tmUid);
                metrics.poll(outcome.toString());
                return;
            }
            health.tmFailed(failure);
            problems.tmFailed(tmUid, failure);
            metrics.poll(MonitorMetrics.ERROR_OUTCOME);
            metrics.pollError(PollErrorKind.of(failure));
        }
    }

    /**
     * Listing the account's TMs (when monitor.tm-uids is empty) is the round's first call to Phrase: when Phrase
     * refuses it, no TM is checked, so the refusal counts here for readiness and the monitor's problems.
     */
    private final class ListPolicy extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            Throwable failure = exchange.getException();
            if (failure != null) {
                health.tmFailed(failure);
                problems.listFailed(failure);
            }
        }
    }

    private final class DeliveryPolicy extends RoutePolicySupport {
        /**
         * Set by the alert-delivery route configuration once a notice was not delivered after its retries. The
         * exchange's caught exception cannot tell: Camel keeps the error of an attempt that a retry then made good,
         * and a round's caught failure travels with the exchanges it wakes.
         */
        private static final String NOT_DELIVERED = "notDelivered";

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            exchange.removeVariable(NOT_DELIVERED);
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            Notice notice = exchange.getVariable("notice", Notice.class);
            if (notice == null) {
                return;
            }
            String channel = notice.channel();
            String kind = notice.metricKind();
            if (exchange.getException() != null || Boolean.TRUE.equals(exchange.getVariable(NOT_DELIVERED, Boolean.class))) {
                metrics.alertFailed(channel, kind);
            } else {
                metrics.alertSent(channel, kind);
            }
        }
    }
}
