package io.github.phrasetmmonitor.benchmark;

import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.MonitorApplication;
import io.github.phrasetmmonitor.support.MonitorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 21 item 3: how many polls a minute the monitor makes on its own cron, when a round takes a little longer than
 * the cron period. The real monitor ({@code java -jar}'s main) polls the benchmark's Phrase stub ({@code
 * benchmark.tms}, default 1,000 TMs, 50 ms per answer) every {@code benchmark.cron} (default every 10 s) within
 * {@code benchmark.requests-per-minute} (default 6,000, which allows exactly 1,000 polls per 10 s besides the TM list).
 * After two rounds to warm up, it counts the stub's {@code lastBackgroundTask} calls until {@code benchmark.polls}
 * (default 6,000) have arrived, and prints the rate. Reported, not asserted: the figures go to BENCHMARKS.md.
 *
 * <p>Run with {@code mvn -B -Pbenchmark test -Dtest=PollRateBenchmark}; about 2 minutes.
 */
@Tag("benchmark")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class PollRateBenchmark {

    private final int tms = Integer.getInteger("benchmark.tms", 1000);
    private final String cron = System.getProperty("benchmark.cron", "0/10 * * * * ?");
    private final int perMinute = Integer.getInteger("benchmark.requests-per-minute", 6000);
    private final int polls = Integer.getInteger("benchmark.polls", 6000);
    private final long latencyMillis = Long.getLong("benchmark.latency-ms", 50);
    private final List<String> jvmArgs = Arrays.stream(System.getProperty("benchmark.jvm-args", "-Xmx128m").split(" "))
            .filter(s -> !s.isBlank()).toList();
    private final Path out = Path.of("target/benchmark/poll-rate").toAbsolutePath();

    @Test
    void pollsAMinuteOnTheMonitorsOwnCron() throws Exception {
        Files.createDirectories(out);
        Path work = Files.createTempDirectory(out, "monitor-");
        MonitorProcess.prepareWorkDir(work);
        List<String> stubJvm = java(List.of("-Xmx256m", "-Dsun.net.httpserver.nodelay=true"));
        try (StubProcess stub = StubProcess.start(stubJvm, latencyMillis, out.resolve("stub.log"))) {
            stub.startSubject(tms);
            List<String> command = java(jvmArgs);
            command.add(MonitorApplication.class.getName());
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("monitor.log").toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("PHRASE_") || key.startsWith("MONITOR_")
                    || key.startsWith("ALERT_") || key.startsWith("CAMEL_"));
            builder.environment().putAll(Map.of(
                    "PHRASE_BASE_URL", stub.phraseBaseUrl(),
                    "PHRASE_API_TOKEN", PhraseStubServer.TOKEN,
                    "PHRASE_MAX_REQUESTS_PER_MINUTE", Integer.toString(perMinute),
                    "PHRASE_MAX_CONCURRENT_REQUESTS", "8",
                    "MONITOR_CRON", cron,
                    "ALERT_CHANNELS", "slack",
                    "MONITOR_MANAGEMENT_PORT", "0",
                    "ALERT_SLACK_WEBHOOK_URL", stub.slackUrl()));
            Process monitor = builder.start();
            try {
                // two rounds to warm up (the JIT, the TM list, round 1's alerts)
                awaitPolls(stub, 2L * tms, monitor);
                stub.reset(tms);
                long start = System.nanoTime();
                long counted = awaitPolls(stub, polls, monitor);
                double minutes = (System.nanoTime() - start) / 60e9;
                String log = Files.readString(work.resolve("monitor.log"));
                System.out.printf("%nPOLL-RATE %d TMs, cron '%s', %d requests/min: %d polls in %.1f s = %.0f polls"
                                + " a minute (%d 'Skipping this cron tick' lines, %d catch-ups over the whole run;"
                                + " log %s)%n",
                        tms, cron, perMinute, counted, minutes * 60, counted / minutes,
                        count(log, "Skipping this cron tick"), count(log, "Catching up the cron tick"),
                        work.resolve("monitor.log"));
            } finally {
                monitor.destroy();
                if (!monitor.waitFor(60, TimeUnit.SECONDS)) {
                    monitor.destroyForcibly();
                }
            }
        }
    }

    private static long awaitPolls(StubProcess stub, long polls, Process monitor) {
        long[] seen = new long[1];
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!monitor.isAlive()) {
                throw new AssertionError("the monitor ended (exit " + monitor.exitValue() + ")");
            }
            seen[0] = ((Number) stub.stats().get("pollRequests")).longValue();
            return seen[0] >= polls;
        });
        return seen[0];
    }

    private static long count(String log, String text) {
        return log.lines().filter(line -> line.contains(text)).count();
    }

    private List<String> java(List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }
}
