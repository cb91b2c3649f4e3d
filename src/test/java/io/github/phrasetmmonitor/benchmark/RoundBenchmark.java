package io.github.phrasetmmonitor.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The benchmark of issue 3 item 6: one polling round of the real monitor against a local Phrase stub with N TMs and a
 * fixed answer latency, side by side in the same run with a plain HttpClient + Jackson loop doing the same requests
 * under the same budget. Not a timed test: it fails only if a subject does not finish its round or does not make the
 * requests it should; whether the targets are met is reported, not asserted.
 *
 * <p>Run with {@code mvn -B -Pbenchmark test}. Each subject and the stub run in JVMs of their own (same JVM options),
 * so CPU, heap and RSS are each subject's own. Writes {@code target/benchmark-results.md} and prints it.
 *
 * <p>Settings (system properties, e.g. {@code -Dbenchmark.tms=1000}): {@code benchmark.tms} (default
 * {@code 1000,10000}), {@code benchmark.latency-ms} (50), {@code benchmark.requests-per-minute} (6000),
 * {@code benchmark.concurrency} (8), {@code benchmark.jvm-args} ({@code -Xmx128m}, for both subjects).
 */
@Tag("benchmark")
class RoundBenchmark {

    private final List<Integer> sizes = Arrays.stream(System.getProperty("benchmark.tms", "1000,10000").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    private final long latencyMillis = Long.getLong("benchmark.latency-ms", 50);
    private final int perMinute = Integer.getInteger("benchmark.requests-per-minute", 6000);
    private final int concurrency = Integer.getInteger("benchmark.concurrency", 8);
    private final List<String> jvmArgs = Arrays.stream(System.getProperty("benchmark.jvm-args", "-Xmx128m").split(" "))
            .filter(s -> !s.isBlank()).toList();
    private final Path project = Path.of("").toAbsolutePath();
    private final Path out = project.resolve("target/benchmark");

    @Test
    void oneRoundOfTheMonitorBesideThePlainBaseline() throws Exception {
        recreate(out);
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String loadBefore = BenchmarkReport.loadAverage();
        List<BenchmarkReport.Row> rows = new ArrayList<>();
        try (StubProcess stub = StubProcess.start(java(List.of("-Xmx256m", "-Dsun.net.httpserver.nodelay=true")), latencyMillis, out.resolve("stub.log"))) {
            for (int tms : sizes) {
                for (String subject : List.of("monitor", "baseline")) {
                    stub.reset(tms);
                    SubjectResult result = "monitor".equals(subject) ? runMonitor(stub, tms) : runBaseline(stub, tms);
                    rows.add(new BenchmarkReport.Row(result, stub.stats()));
                }
            }
        }
        BenchmarkReport report = new BenchmarkReport(started, loadBefore, BenchmarkReport.loadAverage(), latencyMillis,
                perMinute, concurrency, jvmArgs, rows);
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
            assertThat(row.stat("alerts")).as("%s alerted each failed TM", row.result().subject()).isEqualTo(tms / 100);
        }
    }

    private SubjectResult runMonitor(StubProcess stub, int tms) throws Exception {
        Path work = out.resolve("monitor-" + tms);
        recreate(work);
        Files.createDirectories(work.resolve("routes"));
        Files.copy(project.resolve("application.properties"), work.resolve("application.properties"));
        try (Stream<Path> routes = Files.list(project.resolve("routes"))) {
            for (Path route : routes.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(route, work.resolve("routes").resolve(route.getFileName()));
            }
        }
        List<String> command = java(jvmArgs);
        command.addAll(List.of(MonitorSubject.class.getName(), Integer.toString(tms),
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
                "ALERT_SLACK_WEBHOOK_URL", stub.slackUrl()));
        return run(builder, work.resolve("monitor.log"), tms);
    }

    private SubjectResult runBaseline(StubProcess stub, int tms) throws Exception {
        Path work = out.resolve("baseline-" + tms);
        recreate(work);
        List<String> command = java(jvmArgs);
        command.addAll(List.of(BaselineSubject.class.getName(), Integer.toString(tms), stub.phraseBaseUrl(),
                stub.slackUrl(), Integer.toString(perMinute), Integer.toString(concurrency)));
        return run(new ProcessBuilder(command).directory(work.toFile()), work.resolve("baseline.log"), tms);
    }

    private SubjectResult run(ProcessBuilder builder, Path log, int tms) throws Exception {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds(tms) + 60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("subject did not finish; see " + log);
        }
        Optional<SubjectResult> result = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .map(SubjectResult::parse).flatMap(Optional::stream).findFirst();
        return result.orElseThrow(() -> new AssertionError("no result line (exit " + process.exitValue() + "); see "
                + log));
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
