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
    record Row(SubjectResult result, SubjectResult.Round round, Map<String, Object> stats) {
        long stat(String name) {
            Object value = stats.get(name);
            return value == null ? -1 : ((Number) value).longValue();
        }

        long apiRequests() {
            return stat("listRequests") + stat("pollRequests") + stat("detailRequests");
        }

        double roundSeconds() {
            return round.roundMillis() / 1000.0;
        }

        double requestsPerMinute() {
            return apiRequests() * 60.0 / roundSeconds();
        }

        double pollPhaseRequestsPerMinute() {
            return stat("pollRequests") * 60_000.0 / stat("pollPhaseMillis");
        }

        double cpuSecondsPer1000Polls() {
            return round.cpuMillis() / 1000.0 / (result.tms() / 1000.0);
        }

        /** The same without the JIT compiler threads: the work itself, once the code is compiled. */
        double cpuSecondsPer1000PollsWithoutJit() {
            return Math.max(0, round.cpuMillis() - Math.max(0, round.jitCpuMillis())) / 1000.0
                    / (result.tms() / 1000.0);
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

        int rounds = rows.stream().mapToInt(r -> r.round().round()).max().orElse(0);
        for (int tms : rows.stream().map(r -> r.result().tms()).distinct().toList()) {
            List<Row[]> pairs = new java.util.ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                pairs.add(new Row[] {find(tms, "monitor", round), find(tms, "baseline", round)});
            }
            md.append("## ").append(String.format(Locale.ROOT, "%,d", tms)).append(" TMs\n\n");
            md.append("Each round, side by side (M = the monitor's Camel routes, B = the plain HttpClient + Jackson"
                    + " baseline):\n\n|");
            StringBuilder rule = new StringBuilder("|---|");
            for (int round = 1; round <= rounds; round++) {
                String which = round == 1 ? "round 1 (cold JVM)" : "round " + round;
                md.append(" | M ").append(which).append(" | B ").append(which).append(" | M / B");
                rule.append("---:|---:|---:|");
            }
            md.append(" |\n").append(rule).append('\n');
            line(md, "round time, s", pairs, Row::roundSeconds, "%.1f");
            line(md, "API requests (TM list pages + lastBackgroundTask)", pairs, Row::apiRequests, "%.0f");
            line(md, "achieved requests/min over the round (budget " + perMinute + ")", pairs,
                    Row::requestsPerMinute, "%.0f");
            line(md, "lastBackgroundTask phase: requests/min", pairs, Row::pollPhaseRequestsPerMinute, "%.0f");
            line(md, "TM list phase, s (monitor: pages 2..n concurrently; baseline: one after another)", pairs,
                    r -> r.stat("listPhaseMillis") / 1000.0, "%.1f");
            line(md, "most requests in flight at the stub", pairs, r -> r.stat("maxInFlight"), "%.0f");
            line(md, "**CPU s per 1,000 polls** (round CPU / polls)", pairs, Row::cpuSecondsPer1000Polls, "%.3f");
            line(md, "CPU s in the round, all threads", pairs, r -> r.round().cpuMillis() / 1000.0, "%.2f");
            line(md, "of which the JIT compiler threads", pairs, r -> r.round().jitCpuMillis() / 1000.0, "%.2f");
            line(md, "CPU s per 1,000 polls without the JIT compiler", pairs,
                    Row::cpuSecondsPer1000PollsWithoutJit, "%.3f");
            line(md, "GCs in the round", pairs, r -> r.round().gcCount(), "%.0f");
            line(md, "GC pause time in the round, ms", pairs, r -> r.round().gcMillis(), "%.0f");
            line(md, "alerts posted to the sink", pairs, r -> r.stat("alerts"), "%.0f");
            md.append('\n');

            md.append("Each process, over all its rounds:\n\n");
            md.append("| | monitor | baseline | monitor / baseline |\n|---|---:|---:|---:|\n");
            List<Row[]> process = List.<Row[]>of(pairs.get(0));
            line(md, "CPU s before round 1 (JVM + start-up)", process, r -> r.result().startupCpuMillis() / 1000.0,
                    "%.2f");
            line(md, "**peak heap used, MiB** (garbage included)", process, r -> r.result().peakHeapBytes() / MIB,
                    "%.1f");
            line(md, "live heap after the rounds (after a full GC), MiB", process,
                    r -> r.result().liveHeapBytes() / MIB, "%.1f");
            line(md, "**peak RSS (VmHWM), MiB**", process, r -> r.result().peakRssBytes() / MIB, "%.0f");
            line(md, "peak live threads", process, r -> r.result().peakThreads(), "%.0f");
            md.append('\n');

            double budgetSeconds = tms * 60.0 / perMinute;
            double allowed = budgetSeconds * 1.05;
            md.append("Targets at ").append(String.format(Locale.ROOT, "%,d", tms)).append(" TMs:\n\n");
            for (Row[] pair : pairs) {
                Row monitor = pair[0];
                Row baseline = pair[1];
                double ratio = monitor.cpuSecondsPer1000Polls() / baseline.cpuSecondsPer1000Polls();
                double withoutJit = monitor.cpuSecondsPer1000PollsWithoutJit()
                        / baseline.cpuSecondsPer1000PollsWithoutJit();
                md.append(String.format(Locale.ROOT, "- round %d: time within 5%% of the %.0f s the budget allows for"
                                + " %,d polls (<= %.1f s): monitor %.1f s -> **%s** (baseline %.1f s); CPU per poll"
                                + " within 1.5x of the baseline: %.2fx -> **%s** (%.2fx without the JIT compiler)%n",
                        monitor.round().round(), budgetSeconds, tms, allowed, monitor.roundSeconds(),
                        monitor.roundSeconds() <= allowed ? "met" : "not met", baseline.roundSeconds(), ratio,
                        ratio <= 1.5 ? "met" : "not met", withoutJit));
            }
            Row monitor = pairs.get(0)[0];
            double heapMib = monitor.result().peakHeapBytes() / MIB;
            md.append(String.format(Locale.ROOT, "- heap under 128 MB: monitor peak %.1f MiB used (max heap %.0f MiB)"
                    + " -> **%s**%n%n", heapMib, monitor.result().maxHeapBytes() / MIB,
                    heapMib < 128 ? "met" : "not met"));
        }
        md.append("Round time: from the poll route's exchange starting (monitor) or the first list request being"
                + " prepared (baseline) to the round's end. Requests/min and phases are counted by the stub. CPU is the"
                + " subject's process CPU time (all threads: GC and JIT included) during the round; the JIT compiler's"
                + " share is the CPU time of its threads (C1/C2 CompilerThread) in /proc. Peak heap is the"
                + " most heap in use from JVM start to the last round's end, read just before every GC and at the"
                + " end.\n");
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

    private Row find(int tms, String subject, int round) {
        return rows.stream().filter(r -> r.result().tms() == tms && r.result().subject().equals(subject)
                && r.round().round() == round).findFirst().orElseThrow();
    }

    /** One table line: for each pair (monitor, baseline) the two values and their ratio. */
    private static void line(StringBuilder md, String label, List<Row[]> pairs, ToDoubleFunction<Row> metric,
                             String format) {
        md.append("| ").append(label);
        for (Row[] pair : pairs) {
            double m = metric.applyAsDouble(pair[0]);
            double b = metric.applyAsDouble(pair[1]);
            md.append(" | ").append(String.format(Locale.ROOT, format, m)).append(" | ")
                    .append(String.format(Locale.ROOT, format, b)).append(" | ")
                    .append(b == 0 ? "" : String.format(Locale.ROOT, "%.2f", m / b));
        }
        md.append(" |\n");
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
