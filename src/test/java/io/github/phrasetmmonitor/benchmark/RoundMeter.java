package io.github.phrasetmmonitor.benchmark;

import java.util.Map;

/** Snapshots taken at a round's start and end, turned into the subject's {@link SubjectResult}. */
final class RoundMeter {

    private final ProcessProbe probe;
    private long beginNanos;
    private long beginCpu;
    private long beginGcCount;
    private long beginGcMillis;
    private long endNanos;
    private long endCpu;
    private long endGcCount;
    private long endGcMillis;
    private long peakHeap;
    private boolean ended;

    RoundMeter(ProcessProbe probe) {
        this.probe = probe;
    }

    synchronized void begin() {
        beginGcCount = ProcessProbe.gcCount();
        beginGcMillis = ProcessProbe.gcMillis();
        beginCpu = probe.cpuNanos();
        beginNanos = System.nanoTime();
    }

    synchronized void end() {
        endNanos = System.nanoTime();
        endCpu = probe.cpuNanos();
        endGcCount = ProcessProbe.gcCount();
        endGcMillis = ProcessProbe.gcMillis();
        peakHeap = probe.peakHeapUsed();
        ended = true;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** The result; takes a full GC to measure the live heap, so call it after {@link #end()}. */
    synchronized SubjectResult result(String subject, int tms, Map<String, Integer> outcomes) {
        long live = ProcessProbe.liveHeapAfterFullGc();
        return new SubjectResult(subject, tms,
                (endNanos - beginNanos) / 1_000_000,
                (endCpu - beginCpu) / 1_000_000,
                beginCpu / 1_000_000,
                endGcCount - beginGcCount,
                endGcMillis - beginGcMillis,
                peakHeap,
                live,
                ProcessProbe.maxHeap(),
                ProcessProbe.peakRssBytes(),
                ProcessProbe.peakThreads(),
                outcomes);
    }
}
