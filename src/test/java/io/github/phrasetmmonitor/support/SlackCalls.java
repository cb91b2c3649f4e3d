package io.github.phrasetmmonitor.support;

import io.github.phrasetmmonitor.alert.SlackHttp;
import io.github.phrasetmmonitor.net.HttpGuard;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NoErrorHandlerBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Slack's shipped camel-http routes (routes/engine/channel-slack.camel.yaml) in a Camel context of their own, with the guard on
 * the http component as the monitor sets it: what SlackWebhooks and SlackWebApi send through in unit tests.
 */
public final class SlackCalls implements AutoCloseable {

    private final CamelContext context = new DefaultCamelContext();
    private final HttpGuard guard = new HttpGuard(1_000_000, Duration.ofSeconds(10), Optional.empty());
    private final SlackHttp http;

    public SlackCalls(String apiUrl, Duration timeout) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("alert.slack.api-url", apiUrl);
        context.getPropertiesComponent().setInitialProperties(properties);
        for (String scheme : new String[] {"http", "https"}) {
            guard.install(context.getComponent(scheme, HttpComponent.class));
        }
        context.addRoutes(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                // as routes/monitor-errors.camel.yaml defines it
                routeConfiguration("inner-step").errorHandler(new NoErrorHandlerBuilder());
            }
        });
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveMandatoryResource(context, "file:routes/engine/channel-slack.camel.yaml"));
        context.start();
        http = new SlackHttp(context.createProducerTemplate(), timeout);
    }

    public SlackHttp http() {
        return http;
    }

    @Override
    public void close() {
        context.stop();
        guard.stop();
    }
}
