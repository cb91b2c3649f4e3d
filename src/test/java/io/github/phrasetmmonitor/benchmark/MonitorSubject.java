package io.github.phrasetmmonitor.benchmark;

import io.github.phrasetmmonitor.config.MonitorMain;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.apache.camel.support.RoutePolicySupport;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Benchmark subject 1: the real monitor, as {@code java -jar} starts it, from the current directory's
 * {@code application.properties} and {@code routes/}, configured by environment variables only (the driver sets
 * them). It runs the given number of polling rounds, reports each as it ends, then prints one
 * {@link SubjectResult} line.
 *
 * <p>{@code monitor.cron} is set to a date decades away, and each round is started by firing the route's own Quartz
 * job once, so a round is exactly what a cron tick runs and no tick interferes. The alert ledger keeps what round 1
 * sent, so later rounds send nothing again, as in production. A route policy on {@code poll-translation-memories},
 * and on nothing else, marks each round's start and end: it only observes.
 *
 * <p>Usage: {@code MonitorSubject <tms> <rounds> <timeout-seconds-per-round>}.
 */
public final class MonitorSubject {

    static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final String POLL_ROUTE = "poll-translation-memories";
    /** The route's {@code quartz:phrase-tm-monitor/poll}; the problem check is another Quartz job. */
    private static final JobKey POLL_JOB = JobKey.jobKey("poll", "phrase-tm-monitor");

    private MonitorSubject() {
    }

    public static void main(String[] args) {
        SubjectLife.run(() -> rounds(args));
    }

    private static void rounds(String[] args) throws Exception {
        ProcessProbe probe = ProcessProbe.install();
        int tms = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int timeoutSeconds = Integer.parseInt(args[2]);
        RoundMeter meter = new RoundMeter(probe);
        BlockingQueue<SubjectResult.Round> ended = new LinkedBlockingQueue<>();
        RoutePolicySupport roundMarks = new RoutePolicySupport() {
            private final AtomicReference<String> running = new AtomicReference<>();

            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                if (running.compareAndSet(null, exchange.getExchangeId())) {
                    meter.begin();
                }
            }

            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                if (exchange.getExchangeId().equals(running.get())) {
                    ended.add(meter.end());
                    running.set(null);
                }
            }
        };

        Main main = MonitorMain.create(Optional.empty(), Map.of());
        main.configure().addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                context.addRoutePolicyFactory(
                        (camelContext, routeId, route) -> POLL_ROUTE.equals(routeId) ? roundMarks : null);
            }
        });
        main.start();

        Scheduler quartz = main.getCamelContext().getComponent("quartz", QuartzComponent.class).getScheduler();
        if (!quartz.checkExists(POLL_JOB)) {
            throw new IllegalStateException("no polling job " + POLL_JOB + " among "
                    + quartz.getJobKeys(GroupMatcher.anyJobGroup()));
        }
        boolean done = true;
        for (int round = 1; round <= rounds && done; round++) {
            quartz.triggerJob(POLL_JOB);
            SubjectResult.Round result = ended.poll(timeoutSeconds, TimeUnit.SECONDS);
            if (result == null) {
                System.out.println(SubjectLife.FAILED + "round " + round + " did not end within " + timeoutSeconds + " s");
                done = false;
            } else {
                meter.report(result, rounds);
            }
        }
        if (done) {
            System.out.println(meter.result("monitor", tms, Map.of()).line());
        }
        System.out.flush();
        main.stop();
        System.exit(done ? 0 : 1);
    }
}
