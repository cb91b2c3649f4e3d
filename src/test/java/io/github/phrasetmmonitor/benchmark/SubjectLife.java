package io.github.phrasetmmonitor.benchmark;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A subject's side of "still alive": a heartbeat line every second, so the driver notices within seconds when a
 * subject stops answering (frozen, hung, swapped out), and a main that ends the process, with one line saying why,
 * when it throws. Without it a monitor that failed at start-up kept its JVM alive (Camel's and Quartz's threads) and
 * the driver waited for its time limit, 5 minutes at 200 TMs.
 */
final class SubjectLife {

    static final String HEARTBEAT = "BENCHMARK-ALIVE";
    static final String FAILED = "BENCHMARK-FAILED ";
    static final Duration BEAT = Duration.ofSeconds(1);

    /** The body of a subject's main. */
    interface Body {
        void run() throws Exception;
    }

    private SubjectLife() {
    }

    /** Beats while {@code body} runs; when it throws, prints one line and halts the JVM with status 1. */
    static void run(Body body) {
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "benchmark-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        beat.scheduleAtFixedRate(() -> {
            System.out.println(HEARTBEAT);
            System.out.flush();
        }, 0, BEAT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            body.run();
        } catch (Throwable e) {
            System.out.println(FAILED + e);
            e.printStackTrace(System.out);
            System.out.flush();
            // not exit(): Camel Main's shutdown hook would stop a context that may never have started
            Runtime.getRuntime().halt(1);
        }
    }
}
