package io.github.phrasetmmonitor.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Teardown steps that wait on other threads (stopping Camel waits for a running Quartz job; stopping GreenMail or an
 * HTTP server joins its threads) run with a deadline. One that hangs fails its test with every thread's stack in
 * the test's output, and the build goes on, instead of the whole build waiting on it: JUnit's per-test timeout does
 * not cover extensions' callbacks, and its interrupt does not end a wait that ignores interrupts (Quartz's).
 */
public final class Deadline {

    /** A step that may throw, like {@link AutoCloseable#close()}. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** Marks the dump in the test output; .ci/run looks for it. */
    public static final String DUMP_HEADING = "===== thread dump: ";

    private Deadline() {
    }

    public static void within(Duration limit, String what, Step step) throws Exception {
        FutureTask<Void> task = new FutureTask<>(() -> {
            step.run();
            return null;
        });
        Thread runner = new Thread(task, what);
        runner.setDaemon(true);
        runner.start();
        try {
            task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException hung) {
            System.out.println(DUMP_HEADING + what + " did not finish within " + limit.toSeconds() + " s =====");
            printAllStacks();
            System.out.flush();
            throw new AssertionError(what + " did not finish within " + limit.toSeconds()
                    + " s; every thread's stack is in this test's output");
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) failed.getCause();
        }
    }

    private static void printAllStacks() {
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            System.out.println("\"" + thread.getName() + "\"" + (thread.isDaemon() ? " daemon" : "") + " "
                    + thread.getState());
            for (StackTraceElement frame : entry.getValue()) {
                System.out.println("\tat " + frame);
            }
            System.out.println();
        }
    }
}
