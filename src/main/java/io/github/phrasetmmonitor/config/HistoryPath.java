package io.github.phrasetmmonitor.config;

import io.github.phrasetmmonitor.health.HistoryReport;
import io.github.phrasetmmonitor.state.IncidentState;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET {@code /observe/history} on the management port (beside health and metrics): the decision record of incidents
 * as JSON ({@link HistoryReport}), read-only, the newest {@link HistoryReport#MAX_ENTRIES} decisions at most.
 * Parameters {@code tm}, {@code incident}, {@code since}, {@code until}, as the operator tool {@code history} takes
 * them. Camel's management server has no option for a path of one's own, so the handler goes on its Vert.x router
 * once it runs.
 */
final class HistoryPath implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryPath.class);

    private final IncidentState state;

    HistoryPath(IncidentState state) {
        this.state = state;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        // the management server runs once the context started
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return; // camel.management.enabled=false (the operator tools' dry run)
        }
        String path = besideHealth(server);
        server.getRouter().route(HttpMethod.GET, path).blockingHandler(this::answer);
        LOG.debug("The decision record of incidents is at {} on the management port", path);
    }

    /** Beside /observe/health and /observe/metrics: where camel.management.health-path puts health, /history. */
    static String besideHealth(ManagementHttpServer server) {
        String health = server.getHealthPath() == null ? "/observe/health" : server.getHealthPath();
        if (!health.startsWith("/")) {
            health = (server.getPath() == null ? "" : server.getPath()).replaceAll("/+$", "") + "/" + health;
        }
        return health.substring(0, health.lastIndexOf('/')) + "/history";
    }

    private void answer(RoutingContext request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        request.queryParams().forEach(entry -> parameters.putIfAbsent(entry.getKey(), entry.getValue()));
        HistoryReport.Query query;
        try {
            query = HistoryReport.Query.of(parameters);
        } catch (IllegalArgumentException e) {
            request.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(e.getMessage() + "\n");
            return;
        }
        try {
            String json = HistoryReport.json(HistoryReport.Answer.of(state, query));
            request.response().putHeader("Content-Type", "application/json").end(json);
        } catch (RuntimeException e) {
            // the shared state of a cluster may be out of reach: say so, without its details
            request.response().setStatusCode(503).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("the incident state cannot be read now\n");
        }
    }
}
