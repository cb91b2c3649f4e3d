package io.github.phrasetmmonitor.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Turns the subjects' results and the stub's counts into the side-by-side markdown of target/benchmark-results.md. */
final class BenchmarkReport {

    private static final double MIB = 1024.0 * 1024.0;

    /** One subject's round: what it measured itself, and what the stub counted while it ran. */
    record Row(SubjectResult result, Map<String, Object> stats) {
        long stat(String name) {
            Object value = stats.get(name);
            return value == null ? -1 : ((Number) value).longValue();
        }

        long apiRequests() {
            return stat("listRequests") + stat("pollRequests") + stat("detailRequests");
        }

        double roundSeconds() {
            return result.roundMillis() / 1000.0;
        }

        double requestsPerMinute() {
            return apiRequests() * 60.0 / roundSeconds();
        }

        double pollPhaseRequestsPerMinute() {
            return stat("pollRequests") * 60_000.0 / stat("pollPhaseMillis");
        }

        double cpuSecondsPer1000Polls() {
            return result.roundCpuMillis() / 1000.0 / (result.tms() / 1000.0);
        }
    }

    private final Instant started;
    private final String loadBefore;
    private final String loadAfter;
    private final long latencyMillis;
    private final int perMinute;
    private final int concurrency;
    private final List<String> jvmArgs;
    private final List<Row> rows;

    BenchmarkReport(Instant started, String loadBefore, String loadAfter, long latencyMillis, int perMinute,
                    int concurrency, List<String> jvmArgs, List<Row> rows) {
        this.started = started;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.latencyMillis = latencyMillis;
        this.perMinute = perMinute;
        this.concurrency = concurrency;
        this.jvmArgs = jvmArgs;
        this.rows = rows;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("- date: ").append(started).append(" (UTC)\n");
        md.append("- command: `mvn -B -Pbenchmark test`").append(properties()).append('\n');
        md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (")
                .append(cpuModel()).append("), ").append(memTotal()).append(" RAM, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append('\n');
        md.append("- JDK: ").append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", subjects run with `")
                .append(String.join(" ", jvmArgs)).append("`\n");
        md.append("- load average (1, 5, 15 min) before: ").append(loadBefore).append(", after: ").append(loadAfter)
                .append('\n');
        md.append("- stub: ").append(latencyMillis).append(" ms per answer; budget: ").append(perMinute)
                .append(" requests/min, ").append(concurrency).append(" in flight\n\n");

        for (int tms : rows.stream().map(r -> r.result().tms()).distinct().toList()) {
            Row monitor = find(tms, "monitor");
            Row baseline = find(tms, "baseline");
            double budgetSeconds = tms * 60.0 / perMinute;
            md.append("## ").append(String.format(Locale.ROOT, "%,d", tms)).append(" TMs\n\n");
            md.append("| | monitor (Camel routes) | plain baseline (HttpClient + Jackson) | monitor / baseline |\n");
            md.append("|---|---:|---:|---:|\n");
            line(md, "round time, s", monitor, baseline, Row::roundSeconds, "%.1f");
            md.append("| API requests (TM list pages + lastBackgroundTask) | ").append(monitor.apiRequests())
                    .append(" | ").append(baseline.apiRequests()).append(" | |\n");
            line(md, "achieved requests/min over the round (budget " + perMinute + ")", monitor, baseline,
                    Row::requestsPerMinute, "%.0f");
            line(md, "lastBackgroundTask phase: requests/min", monitor, baseline,
                    Row::pollPhaseRequestsPerMinute, "%.0f");
            line(md, "TM list phase, s (pages one after another)", monitor, baseline,
                    r -> r.stat("listPhaseMillis") / 1000.0, "%.1f");
            line(md, "most requests in flight at the stub", monitor, baseline, r -> r.stat("maxInFlight"), "%.0f");
            line(md, "**CPU s per 1,000 polls** (round CPU / polls)", monitor, baseline,
                    Row::cpuSecondsPer1000Polls, "%.3f");
            line(md, "CPU s in the round, all threads", monitor, baseline,
                    r -> r.result().roundCpuMillis() / 1000.0, "%.2f");
            line(md, "CPU s before the round (JVM + start-up)", monitor, baseline,
                    r -> r.result().startupCpuMillis() / 1000.0, "%.2f");
            line(md, "GCs in the round (count)", monitor, baseline, r -> r.result().roundGcCount(), "%.0f");
            line(md, "GC pause time in the round, ms", monitor, baseline, r -> r.result().roundGcMillis(), "%.0f");
            line(md, "**peak heap used, MiB** (garbage included)", monitor, baseline,
                    r -> r.result().peakHeapBytes() / MIB, "%.1f");
            line(md, "live heap after the round (after full GC), MiB", monitor, baseline,
                    r -> r.result().liveHeapBytes() / MIB, "%.1f");
            line(md, "**peak RSS (VmHWM), MiB**", monitor, baseline, r -> r.result().peakRssBytes() / MIB, "%.0f");
            line(md, "peak live threads", monitor, baseline, r -> r.result().peakThreads(), "%.0f");
            md.append("| alerts posted to the sink | ").append(monitor.stat("alerts")).append(" | ")
                    .append(baseline.stat("alerts")).append(" | |\n\n");

            md.append("Targets at ").append(String.format(Locale.ROOT, "%,d", tms)).append(" TMs:\n\n");
            double allowed = budgetSeconds * 1.05;
            md.append(String.format(Locale.ROOT, "- round within 5%% of the %.0f s the budget allows for %,d polls"
                            + " (<= %.1f s): monitor %.1f s -> **%s** (baseline %.1f s)%n", budgetSeconds, tms, allowed,
                    monitor.roundSeconds(), monitor.roundSeconds() <= allowed ? "met" : "not met",
                    baseline.roundSeconds()));
            double ratio = monitor.cpuSecondsPer1000Polls() / baseline.cpuSecondsPer1000Polls();
            md.append(String.format(Locale.ROOT, "- CPU per poll within 1.5x of the baseline: %.2fx -> **%s**%n", ratio,
                    ratio <= 1.5 ? "met" : "not met"));
            double heapMib = monitor.result().peakHeapBytes() / MIB;
            md.append(String.format(Locale.ROOT, "- heap under 128 MB: peak %.1f MiB used, max heap %.0f MiB -> **%s**%n%n",
                    heapMib, monitor.result().maxHeapBytes() / MIB, heapMib < 128 ? "met" : "not met"));
        }
        md.append("Round time: from the poll route's exchange starting (monitor) or the first list request being"
                + " prepared (baseline) to the round's end. Requests/min and phases are counted by the stub. CPU is the"
                + " subject's process CPU time (all threads: GC and JIT included) during the round. Peak heap is the"
                + " most heap in use from JVM start to the round's end, read just before every GC and at the end.\n");
        return md.toString();
    }

    /** The benchmark.* settings given on the command line, as they were given. */
    private static String properties() {
        StringBuilder given = new StringBuilder();
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("benchmark.")).sorted()
                .forEach(key -> given.append(" \"-D").append(key).append('=').append(System.getProperty(key))
                        .append('"'));
        return given.length() == 0 ? "" : " with" + given;
    }

    private Row find(int tms, String subject) {
        return rows.stream().filter(r -> r.result().tms() == tms && r.result().subject().equals(subject))
                .findFirst().orElseThrow();
    }

    private static void line(StringBuilder md, String label, Row monitor, Row baseline, ToDoubleFunction<Row> metric,
                             String format) {
        double m = metric.applyAsDouble(monitor);
        double b = metric.applyAsDouble(baseline);
        md.append("| ").append(label).append(" | ").append(String.format(Locale.ROOT, format, m)).append(" | ")
                .append(String.format(Locale.ROOT, format, b)).append(" | ")
                .append(b == 0 ? "" : String.format(Locale.ROOT, "%.2f", m / b)).append(" |\n");
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException unavailable) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        return procField("/proc/cpuinfo", "model name").orElse("CPU model unknown");
    }

    private static String memTotal() {
        return procField("/proc/meminfo", "MemTotal").map(kb -> {
            long value = Long.parseLong(kb.replace("kB", "").trim());
            return String.format(Locale.ROOT, "%.1f GiB", value / 1024.0 / 1024.0);
        }).orElse("unknown");
    }

    private static java.util.Optional<String> procField(String file, String field) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(line -> line.startsWith(field))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException unavailable) {
            return java.util.Optional.empty();
        }
    }
}
