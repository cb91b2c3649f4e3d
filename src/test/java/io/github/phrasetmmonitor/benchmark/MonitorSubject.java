package io.github.phrasetmmonitor.benchmark;

import io.github.phrasetmmonitor.MonitorApplication;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * them). It runs exactly one polling round and prints one {@link SubjectResult} line.
 *
 * <p>{@code monitor.cron} is set to a date decades away, and the round is started by firing the route's own Quartz
 * job once, right after start-up, so the round is the one a cron tick would run and no tick interferes. A route
 * policy on {@code poll-translation-memories}, and on nothing else, marks the round's start and end: it only
 * observes.
 *
 * <p>Usage: {@code MonitorSubject <tms> <timeout-seconds>}.
 */
public final class MonitorSubject {

    static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final String POLL_ROUTE = "poll-translation-memories";

    private MonitorSubject() {
    }

    public static void main(String[] args) throws Exception {
        ProcessProbe probe = ProcessProbe.install();
        int tms = Integer.parseInt(args[0]);
        int timeoutSeconds = Integer.parseInt(args[1]);
        RoundMeter meter = new RoundMeter(probe);
        CountDownLatch roundDone = new CountDownLatch(1);
        RoutePolicySupport roundMarks = new RoutePolicySupport() {
            private volatile String firstExchange;

            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                if (firstExchange == null) {
                    firstExchange = exchange.getExchangeId();
                    meter.begin();
                }
            }

            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                if (exchange.getExchangeId().equals(firstExchange)) {
                    meter.end();
                    roundDone.countDown();
                }
            }
        };

        Main main = MonitorApplication.create(Optional.empty(), Map.of());
        main.configure().addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                context.addRoutePolicyFactory(
                        (camelContext, routeId, route) -> POLL_ROUTE.equals(routeId) ? roundMarks : null);
            }
        });
        main.start();

        Scheduler quartz = main.getCamelContext().getComponent("quartz", QuartzComponent.class).getScheduler();
        Set<JobKey> jobs = quartz.getJobKeys(GroupMatcher.anyJobGroup());
        if (jobs.size() != 1) {
            throw new IllegalStateException("expected the one polling job, found " + jobs);
        }
        quartz.triggerJob(jobs.iterator().next());

        boolean done = roundDone.await(timeoutSeconds, TimeUnit.SECONDS);
        if (done) {
            System.out.println(meter.result("monitor", tms, Map.of()).line());
        } else {
            System.out.println("BENCHMARK-FAILED the monitor's round did not end within " + timeoutSeconds + " s");
        }
        System.out.flush();
        main.stop();
        System.exit(done ? 0 : 1);
    }
}
