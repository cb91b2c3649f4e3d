package io.github.phrasetmmonitor.metrics;

import io.github.phrasetmmonitor.health.MonitorHealth;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Watches the routes from outside so the YAML stays about the flow: health and meters are updated when a round, a
 * TM check or an alert delivery is done.
 * <ul>
 *   <li>route {@code poll-translation-memories}: one exchange per round</li>
 *   <li>route {@code check-translation-memory}: one exchange per TM; a check succeeded when it set the variable
 *   {@code outcome}, otherwise the exception its error handler caught says why not</li>
 *   <li>every route with {@code routeConfigurationId: alert-delivery}: one channel's delivery; the variable
 *   {@code channel} names it (unset when the channel is off), {@code alertKind} the kind (default failed-task)</li>
 * </ul>
 */
public final class MonitorRoutePolicies implements RoutePolicyFactory {

    static final String ROUND_ROUTE = "poll-translation-memories";
    static final String CHECK_ROUTE = "check-translation-memory";
    static final String DELIVERY_CONFIGURATION = "alert-delivery";
    static final String DEFAULT_ALERT_KIND = "failed-task";
    private static final String ROUND_TIMER = "phraseMonitorRoundTimer";

    private final MonitorHealth health;
    private final MonitorMetrics metrics;

    public MonitorRoutePolicies(MonitorHealth health, MonitorMetrics metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (ROUND_ROUTE.equals(routeId)) {
            return new RoundPolicy();
        }
        if (CHECK_ROUTE.equals(routeId)) {
            return new CheckPolicy();
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

    private final class RoundPolicy extends RoutePolicySupport {
        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            health.roundStarted();
            exchange.setProperty(ROUND_TIMER, metrics.roundStarted());
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            health.roundFinished();
            Timer.Sample sample = exchange.getProperty(ROUND_TIMER, Timer.Sample.class);
            if (sample != null) {
                metrics.roundFinished(sample);
            }
        }
    }

    private final class CheckPolicy extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            Object outcome = exchange.getVariable("outcome");
            if (outcome != null) {
                // classified: whatever happened after (an alert not delivered) is not a poll error
                health.tmAnswered();
                metrics.poll(outcome.toString());
                return;
            }
            Throwable failure = failureOf(exchange);
            health.tmFailed(failure);
            metrics.poll("ERROR");
            metrics.pollError(PollErrorKind.of(failure));
        }
    }

    private final class DeliveryPolicy extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            String channel = exchange.getVariable("channel", String.class);
            if (channel == null || exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)) {
                return;
            }
            String kind = exchange.getVariable("alertKind", DEFAULT_ALERT_KIND, String.class);
            if (failureOf(exchange) != null) {
                metrics.alertFailed(channel, kind);
            } else {
                metrics.alertSent(channel, kind);
            }
        }
    }
}
