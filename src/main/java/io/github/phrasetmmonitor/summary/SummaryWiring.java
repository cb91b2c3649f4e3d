package io.github.phrasetmmonitor.summary;

import io.github.phrasetmmonitor.alert.AlertChannel;
import io.github.phrasetmmonitor.alert.AlertTemplates;
import io.github.phrasetmmonitor.cluster.ClusterDatabase;
import io.github.phrasetmmonitor.metrics.MonitorMetrics;
import io.github.phrasetmmonitor.settings.AlertChannels;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import io.github.phrasetmmonitor.state.IncidentState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the summaries' beans for routes/engine/summaries.camel.yaml ({@code summaries}, {@code summaryMessages}),
 * gives the route its cron ({@code summaryCron}), keeps its triggers from starting when off, and, only when summaries
 * are on, hooks the ledger to the incident state and the rounds, so a monitor without summaries keeps no ledger.
 */
public final class SummaryWiring {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.summary");
    /** The channels a summary can go to: those whose wording has a summary part. */
    /** The routes of routes/engine/summaries.camel.yaml whose triggers run only with alert.summary-cron. */
    static final List<String> SCHEDULED = List.of("summary-schedule", "summary-retry");
    static final List<String> CAPABLE = List.of(AlertChannels.SLACK, AlertChannels.EMAIL);

    private SummaryWiring() {
    }

    public static void wire(CamelContext context, MonitorSettings settings, Map<String, AlertChannel> channels,
                            IncidentState incidents, MonitorMetrics metrics, Optional<ClusterDatabase> cluster,
                            AlertTemplates templates, Clock clock) {
        PropertiesComponent properties = (PropertiesComponent) context.getPropertiesComponent();
        SummarySettings summary = SummarySettings.read(properties::resolveProperty,
                List.copyOf(settings.channels().enabled()), settings.configuredChannels());
        if (!summary.on()) {
            // the routes' triggers are not even scheduled: no Quartz job, no look at the ledger
            context.getCamelContextExtension().getContextPlugin(Model.class)
                    .addModelLifecycleStrategy(new ModelLifecycleStrategySupport() {
                        @Override
                        public void onAddRouteDefinition(RouteDefinition route) {
                            if (route.getRouteId() != null && SCHEDULED.contains(route.getRouteId())) {
                                route.setAutoStartup("false");
                            }
                        }
                    });
        }
        properties.addOverrideProperty("summaryCron", summary.cronForUri());
        SummaryLedger ledger = cluster.<SummaryLedger>map(database -> new PostgresSummaryLedger(
                        database.dataSource(), "the cluster database"))
                .orElseGet(() -> new FileSummaryLedger(settings.stateDir().resolve(FileSummaryLedger.FILE)));
        List<Summaries.Target> targets = new ArrayList<>();
        for (String channel : summary.channels()) {
            AlertChannel configured = channels.get(channel);
            if (!CAPABLE.contains(channel) || configured == null) {
                if (summary.on()) {
                    LOG.info("Summaries do not go to channel {}: only slack and email word them", channel);
                }
            } else if (configured.defaultDestination() == null || configured.defaultDestination().isBlank()) {
                if (summary.on()) {
                    LOG.warn("Summaries do not go to channel {}: it has no default destination", channel);
                }
            } else {
                targets.add(new Summaries.Target(channel, configured.defaultDestination()));
            }
        }
        Summaries summaries = new Summaries(ledger, clock, targets, summary.topTms(), incidents::openIncidents);
        context.getRegistry().bind("summaries", summaries);
        context.getRegistry().bind("summaryMessages", new SummaryMessages(templates, settings.tmLinks()));
        if (summary.on()) {
            incidents.reportChangesTo(summaries);
            metrics.tallyRoundsIn(summaries);
            LOG.info("Summaries: at each tick of '{}' to {}; ledger {}", summary.cron().get(),
                    targets.stream().map(target -> target.channel() + " (" + target.destination() + ")").toList(),
                    ledger.describe());
        }
    }
}
