package io.github.phrasetmmonitor.benchmark;

import io.github.phrasetmmonitor.support.MonitorProcess;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;

/**
 * The benchmark of issue 3 item 6: polling rounds of the real monitor against a local Phrase stub with N TMs and a
 * fixed answer latency, side by side in the same run with a plain HttpClient + Jackson loop doing the same requests
 * under the same budget. Round 1 is the first round after start-up (cold JIT). The JIT compiler keeps working for
 * the next ten to fifteen thousand polls, longer for the monitor, which has more code to compile; the last of four
 * rounds is the steady state that a monitor running for weeks lives in. Not a timed test: it fails only if a subject
 * does not finish its rounds or does not make the requests it should; whether the targets are met is reported, not
 * asserted.
 *
 * <p>Run with {@code mvn -B -Pbenchmark test}. Each subject and the stub run in JVMs of their own (same JVM options),
 * so CPU, heap and RSS are each subject's own. Writes {@code target/benchmark-results.md} and prints it.
 *
 * <p>Settings (system properties, e.g. {@code -Dbenchmark.tms=1000}): {@code benchmark.tms} (default
 * {@code 1000,10000}), {@code benchmark.rounds} (4), {@code benchmark.latency-ms} (50),
 * {@code benchmark.requests-per-minute} (6000), {@code benchmark.concurrency} (8), {@code benchmark.jvm-args}
 * ({@code -Xmx128m}, for both subjects).
 */
@Tag("benchmark")
// a full run takes about 16 minutes (junit-platform.properties gives other tests 3)
@Timeout(value = 2, unit = TimeUnit.HOURS)
class RoundBenchmark {

    private final List<Integer> sizes = Arrays.stream(System.getProperty("benchmark.tms", "1000,10000").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    private final int rounds = Integer.getInteger("benchmark.rounds", 4);
    private final long latencyMillis = Long.getLong("benchmark.latency-ms", 50);
    private final int perMinute = Integer.getInteger("benchmark.requests-per-minute", 6000);
    private final int concurrency = Integer.getInteger("benchmark.concurrency", 8);
    private final List<String> jvmArgs = Arrays.stream(System.getProperty("benchmark.jvm-args", "-Xmx128m").split(" "))
            .filter(s -> !s.isBlank()).toList();
    /** A subject beats every second ({@link SubjectLife}); this long without a line, it is taken for hung. */
    private static final Duration SILENCE = Duration.ofSeconds(20);
    /**
     * Until its first line: a JVM starting on a loaded machine (and JFR, when profiling) may take longer than
     * {@link #SILENCE} to run main; a subject that dies meanwhile still fails the run at once.
     */
    private static final Duration START = Duration.ofSeconds(120);
    private final Path project = Path.of("").toAbsolutePath();
    private final Path out = project.resolve("target/benchmark");

    @Test
    void roundsOfTheMonitorBesideThePlainBaseline() throws Exception {
        recreate(out);
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String loadBefore = BenchmarkReport.loadAverage();
        List<BenchmarkReport.Row> rows = new ArrayList<>();
        // nodelay: without it the JDK server's Nagle delay, not the latency, would set the pace
        List<String> stubJvm = java(List.of("-Xmx256m", "-Dsun.net.httpserver.nodelay=true"));
        try (StubProcess stub = StubProcess.start(stubJvm, latencyMillis, out.resolve("stub.log"))) {
            for (int tms : sizes) {
                for (String subject : List.of("monitor", "baseline")) {
                    rows.addAll("monitor".equals(subject) ? runMonitor(stub, tms) : runBaseline(stub, tms));
                }
            }
        }
        BenchmarkReport report = new BenchmarkReport(started, loadBefore, BenchmarkReport.loadAverage(), latencyMillis,
                perMinute, concurrency, jvmArgs, rows);
        assertThat(rows).as("every round of every subject").hasSize(sizes.size() * 2 * rounds);
        String markdown = report.markdown();
        Files.writeString(project.resolve("target/benchmark-results.md"), markdown);
        System.out.println();
        System.out.println(markdown);

        for (BenchmarkReport.Row row : rows) {
            int tms = row.result().tms();
            assertThat(row.stat("pollRequests")).as("%s polled every TM once", row.result().subject()).isEqualTo(tms);
            assertThat(row.stat("listRequests")).as("%s listed every page", row.result().subject())
                    .isEqualTo((tms + 49) / 50);
            assertThat(row.stat("refused") + row.stat("otherRequests")).as("no stray or unsigned calls").isZero();
            assertThat(row.stat("maxInFlight")).as("within the concurrency cap").isLessThanOrEqualTo(concurrency);
            // the monitor delivers on its own threads, so round 1's alerts may land in round 2: counted per subject
            if (row.round().round() == rounds) {
                assertThat(row.stat("subjectAlerts")).as("%s alerted each failed TM once", row.result().subject())
                        .isEqualTo(PhraseStubServer.failedTms(tms));
            }
        }
    }

    private List<BenchmarkReport.Row> runMonitor(StubProcess stub, int tms) throws Exception {
        Path work = out.resolve("monitor-" + tms);
        recreate(work);
        // application.properties, routes/ and templates/, as ops deploy them
        MonitorProcess.prepareWorkDir(work);
        List<String> command = java(jvmArgs);
        command.addAll(List.of(MonitorSubject.class.getName(), Integer.toString(tms), Integer.toString(rounds),
                Long.toString(timeoutSeconds(tms))));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("PHRASE_") || key.startsWith("MONITOR_")
                || key.startsWith("ALERT_") || key.startsWith("CAMEL_"));
        builder.environment().putAll(Map.of(
                "PHRASE_BASE_URL", stub.phraseBaseUrl(),
                "PHRASE_API_TOKEN", PhraseStubServer.TOKEN,
                "PHRASE_MAX_REQUESTS_PER_MINUTE", Integer.toString(perMinute),
                "PHRASE_MAX_CONCURRENT_REQUESTS", Integer.toString(concurrency),
                "MONITOR_CRON", MonitorSubject.NEVER,
                "ALERT_CHANNELS", "slack",
                // one post per failed task, as the baseline does, rather than one digest for the round
                "ALERT_DIGEST_THRESHOLD", "1000000",
                "MONITOR_MANAGEMENT_PORT", "0",
                "ALERT_SLACK_WEBHOOK_URL", stub.slackUrl()));
        return run(builder, work.resolve("monitor.log"), stub, tms);
    }

    private List<BenchmarkReport.Row> runBaseline(StubProcess stub, int tms) throws Exception {
        Path work = out.resolve("baseline-" + tms);
        recreate(work);
        List<String> command = java(jvmArgs);
        command.addAll(List.of(BaselineSubject.class.getName(), Integer.toString(tms), Integer.toString(rounds),
                stub.phraseBaseUrl(), stub.slackUrl(), Integer.toString(perMinute), Integer.toString(concurrency)));
        return run(new ProcessBuilder(command).directory(work.toFile()), work.resolve("baseline.log"), stub, tms);
    }

    /**
     * Runs one subject: after each round it reports, the stub's counts for that round are taken and reset, and the
     * subject is told to go on. A subject that overruns, says it failed, or stops answering (no heartbeat for
     * {@link #SILENCE}) is killed at once, and the run fails naming its log.
     */
    private List<BenchmarkReport.Row> run(ProcessBuilder builder, Path log, StubProcess stub, int tms)
            throws Exception {
        stub.startSubject(tms);
        Process process = builder.redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(rounds * timeoutSeconds(tms) + 60);
        BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
        Thread reader = readLines(process, lines);
        List<SubjectResult.Round> ended = new ArrayList<>();
        List<Map<String, Object>> counted = new ArrayList<>();
        SubjectResult result = null;
        String failure = null;
        try (PrintWriter toSubject = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
             PrintWriter logged = new PrintWriter(Files.newBufferedWriter(log), true)) {
            boolean started = false;
            while (failure == null) {
                Duration wait = started ? SILENCE : START;
                Optional<String> next = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                started = true;
                if (next == null) {
                    failure = "stopped answering (no output for " + wait.toSeconds() + " s)";
                } else if (next.isEmpty()) {
                    break;
                } else {
                    String line = next.get();
                    if (!line.equals(SubjectLife.HEARTBEAT)) {
                        logged.println(line);
                    }
                    if (System.nanoTime() > deadline) {
                        failure = "did not finish its rounds in time";
                    } else if (line.startsWith(SubjectLife.FAILED)) {
                        failure = "failed: " + line.substring(SubjectLife.FAILED.length());
                    }
                    Optional<SubjectResult.Round> round = failure == null ? SubjectResult.Round.parse(line)
                            : Optional.empty();
                    if (round.isPresent()) {
                        ended.add(round.get());
                        counted.add(stub.stats());
                        stub.reset(tms);
                        if (round.get().round() < rounds) {
                            toSubject.println("next");
                        }
                    }
                    result = SubjectResult.parse(line).orElse(result);
                }
            }
            if (failure != null) {
                process.destroyForcibly();
                // what the subject printed before it was killed, for its log
                for (Optional<String> rest = lines.poll(5, TimeUnit.SECONDS); rest != null && rest.isPresent();
                     rest = lines.poll(5, TimeUnit.SECONDS)) {
                    if (!rest.get().equals(SubjectLife.HEARTBEAT)) {
                        logged.println(rest.get());
                    }
                }
            }
        } finally {
            process.destroyForcibly();
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        int exit = process.waitFor();
        if (failure == null && (result == null || ended.size() != rounds)) {
            failure = "ended before its rounds were done";
        }
        if (failure != null) {
            throw new AssertionError("subject " + failure + " (exit " + exit + ", after " + ended.size() + " of "
                    + rounds + " rounds); see " + log);
        }
        List<BenchmarkReport.Row> rows = new ArrayList<>();
        for (int i = 0; i < ended.size(); i++) {
            rows.add(new BenchmarkReport.Row(result, ended.get(i), counted.get(i)));
        }
        return rows;
    }

    /** The subject's output, line by line; an empty element when it ends. */
    private static Thread readLines(Process process, BlockingQueue<Optional<String>> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(Optional.of(line));
                }
            } catch (IOException ended) {
                // the process is gone
            } finally {
                lines.add(Optional.empty());
            }
        }, "subject-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Three times what the budget needs for the round, plus start-up. */
    private long timeoutSeconds(int tms) {
        return 120 + 3L * (tms + tms / 50) * 60 / perMinute;
    }

    private List<String> java(List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }

    private static void recreate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
