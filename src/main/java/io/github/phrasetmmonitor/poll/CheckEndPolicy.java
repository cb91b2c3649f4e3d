package io.github.phrasetmmonitor.poll;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Something to do when a TM's check leaves its route, however it ends (answered, failed, stopped): a route policy sees
 * that for certain, where a step at the end of the route could be skipped by an error.
 */
abstract class CheckEndPolicy implements RoutePolicyFactory {

    private final String checkRouteId;

    CheckEndPolicy(String checkRouteId) {
        this.checkRouteId = checkRouteId;
    }

    /** The check of this exchange is over. */
    abstract void checkEnded(Exchange exchange);

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (!checkRouteId.equals(routeId)) {
            return null;
        }
        return new RoutePolicySupport() {
            @Override
            public void onExchangeDone(Route done, Exchange exchange) {
                checkEnded(exchange);
            }
        };
    }
}
