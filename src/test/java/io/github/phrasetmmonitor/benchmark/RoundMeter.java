package io.github.phrasetmmonitor.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Snapshots at each round's start and end, and the subject's side of the round-by-round exchange with the driver. */
final class RoundMeter {

    private final ProcessProbe probe;
    private final BufferedReader driver = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private long firstBeginCpu = -1;
    private int round;
    private long beginNanos;
    private long beginCpu;
    private long beginJitCpu;
    private long beginGcCount;
    private long beginGcMillis;

    RoundMeter(ProcessProbe probe) {
        this.probe = probe;
    }

    synchronized void begin() {
        beginGcCount = ProcessProbe.gcCount();
        beginGcMillis = ProcessProbe.gcMillis();
        beginCpu = probe.cpuNanos();
        beginJitCpu = ProcessProbe.jitCpuNanos();
        beginNanos = System.nanoTime();
        if (firstBeginCpu < 0) {
            firstBeginCpu = beginCpu;
        }
    }

    synchronized SubjectResult.Round end() {
        long endNanos = System.nanoTime();
        long endCpu = probe.cpuNanos();
        round++;
        long endJitCpu = ProcessProbe.jitCpuNanos();
        return new SubjectResult.Round(round, (endNanos - beginNanos) / 1_000_000, (endCpu - beginCpu) / 1_000_000,
                endJitCpu < 0 || beginJitCpu < 0 ? -1 : (endJitCpu - beginJitCpu) / 1_000_000,
                ProcessProbe.gcCount() - beginGcCount, ProcessProbe.gcMillis() - beginGcMillis);
    }

    /** Reports the round to the driver and, unless it was the last, waits until the driver says "next". */
    void report(SubjectResult.Round ended, int rounds) throws IOException {
        System.out.println(ended.line());
        System.out.flush();
        if (ended.round() < rounds) {
            String go = driver.readLine();
            if (!"next".equals(go)) {
                throw new IOException("the driver said " + go + " instead of next");
            }
        }
    }

    /** The process-wide result; takes a full GC to measure the live heap, so call it after the last round. */
    SubjectResult result(String subject, int tms, Map<String, Integer> outcomes) {
        long peakHeap = probe.peakHeapUsed();
        long live = ProcessProbe.liveHeapAfterFullGc();
        return new SubjectResult(subject, tms, firstBeginCpu / 1_000_000, peakHeap, live, ProcessProbe.maxHeap(),
                ProcessProbe.peakRssBytes(), ProcessProbe.peakThreads(), outcomes);
    }
}
