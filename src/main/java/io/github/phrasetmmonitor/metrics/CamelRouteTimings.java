package io.github.phrasetmmonitor.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * Camel's own route meters ({@code camel_exchanges_total}, the route timings) for the routes a message enters, not
 * for the inner steps other routes call ({@code routeConfigurationId: inner-step}): those are the four steps of each
 * TM's Phrase call, and Camel's policy formats a property name with {@code String.format} at the start and end of
 * every exchange of every route it watches, for the route and again for the context. At 10,000 TMs that was 20 formats
 * per poll and the largest single source of garbage in the steady rounds (BENCHMARKS.md); the inner steps' time is
 * inside their caller's timing anyway. Set up here, with {@code camel.metrics.enable-route-policy=false}, because
 * camel-main's setting can only watch every route.
 */
public final class CamelRouteTimings implements RoutePolicyFactory {

    /** The route configuration of the steps called by other routes (routes/monitor-errors.camel.yaml). */
    public static final String INNER_STEP = "inner-step";

    private final MicrometerRoutePolicyFactory camel = new MicrometerRoutePolicyFactory();

    private CamelRouteTimings(MeterRegistry registry) {
        camel.setMeterRegistry(registry);
        // camel.metrics.route-policy-level=all, as camel-main sets it up
        camel.getPolicyConfiguration().setContextEnabled(true);
        camel.getPolicyConfiguration().setRouteEnabled(true);
    }

    /** Adds the route meters to the context, started and stopped with it. */
    public static void install(CamelContext context, MeterRegistry registry) {
        CamelRouteTimings timings = new CamelRouteTimings(registry);
        try {
            context.addService(timings.camel);
        } catch (Exception e) {
            throw new IllegalStateException("Camel's route meters cannot be set up: " + e.getMessage(), e);
        }
        context.addRoutePolicyFactory(timings);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (route instanceof RouteDefinition definition && INNER_STEP.equals(definition.getRouteConfigurationId())) {
            return null;
        }
        return camel.createRoutePolicy(context, routeId, route);
    }
}
