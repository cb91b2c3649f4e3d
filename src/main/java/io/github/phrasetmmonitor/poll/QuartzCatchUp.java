package io.github.phrasetmmonitor.poll;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catch-up is the polling route's own Quartz job fired once more, now, so it runs the route exactly as a tick
 * does. In a cluster it is a one-off trigger in the shared job store: one node fires it, and the round's lease keeps
 * it to one round across the cluster.
 */
public final class QuartzCatchUp implements CatchUp {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.poll");
    /** Set in the one-off trigger's data; camel-quartz hands the merged data to the route as a header. */
    private static final String MARK = "phraseMonitorCatchUp";
    private static final String JOB_DATA_HEADER = "mergedJobDataMap";

    private final CamelContext context;
    private final String routeId;

    public QuartzCatchUp(CamelContext context, String routeId) {
        this.context = context;
        this.routeId = routeId;
    }

    @Override
    public void fire() {
        if (context.isStopping() || context.isStopped()) {
            // the round ended because the monitor stops: the next start polls
            return;
        }
        try {
            QuartzEndpoint endpoint = (QuartzEndpoint) context.getRoute(routeId).getEndpoint();
            // camel-quartz names the job as the trigger
            TriggerKey tick = endpoint.getTriggerKey();
            endpoint.getComponent().getScheduler().triggerJob(JobKey.jobKey(tick.getName(), tick.getGroup()),
                    new JobDataMap(Map.of(MARK, "true")));
        } catch (SchedulerException | RuntimeException e) {
            LOG.warn("The skipped cron tick cannot be caught up ({}); the next tick starts the next round",
                    e.getMessage());
        }
    }

    /** Whether the exchange is a catch-up rather than a cron tick. */
    static boolean isCatchUp(Exchange exchange) {
        return exchange.getMessage().getHeader(JOB_DATA_HEADER) instanceof Map<?, ?> data
                && "true".equals(data.get(MARK));
    }
}
