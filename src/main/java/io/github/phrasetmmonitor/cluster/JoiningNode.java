package io.github.phrasetmmonitor.cluster;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node joining a running cluster (or restarting) finds the cluster's Quartz triggers (the rounds' cron, the problem
 * check) in the database already. camel-quartz then keeps the stored trigger, which is right, but logs
 * {@code Job phrase-tm-monitor.poll (cron=..., ...) is scheduled. Next fire date is null}: the next fire time of its
 * own copy of the trigger, which it did not store and so never computed. This follows each such line with one of
 * ours that says so and gives the stored trigger's real next tick.
 *
 * <p>A trigger that started before this node was configured was there before its routes started: camel-quartz took
 * it as existing. One it stored itself, or rescheduled because the cron changed, starts after.
 */
public final class JoiningNode implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.cluster");

    private final Instant configured;
    private final AtomicBoolean told = new AtomicBoolean();

    /** @param configured when this node was configured, before its routes started */
    public JoiningNode(Instant configured) {
        this.configured = configured;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the routes' endpoints have scheduled their jobs; the note waits until everything is up
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws SchedulerException {
        Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        // Camel tells "fully started" with alreadyStarted true: once is what is meant, at start-up
        if (scheduler == null || !told.compareAndSet(false, true)) {
            return;
        }
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof QuartzEndpoint quartz) {
                Trigger stored = scheduler.getTrigger(quartz.getTriggerKey());
                if (stored != null && stored.getStartTime() != null
                        && stored.getStartTime().toInstant().isBefore(configured)) {
                    LOG.info("Job {} was scheduled by the cluster already (since {}): this node uses that trigger,"
                            + " and 'Next fire date is null' above is about the copy it did not need to store."
                            + " Expected when a node joins a running cluster or restarts; the next tick is at {},"
                            + " on whichever node takes it", quartz.getTriggerKey(),
                            stored.getStartTime().toInstant(),
                            stored.getNextFireTime() == null ? "none" : stored.getNextFireTime().toInstant());
                }
            }
        }
    }
}
