package io.github.phrasetmmonitor.benchmark;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What one benchmark subject measures about its own JVM: process CPU time (every thread, GC and JIT included), the
 * peak of heap used, and the peak resident set size.
 *
 * <p>Peak heap used is exact without sampling: the heap only grows between collections, so its peak is either the
 * usage just before some collection (every GC notification carries it) or the usage now. Install the probe first
 * thing in {@code main} so the peak covers start-up too.
 */
final class ProcessProbe {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private final AtomicLong peakHeapUsed = new AtomicLong();

    private ProcessProbe() {
    }

    static ProcessProbe install() {
        ProcessProbe probe = new ProcessProbe();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    probe.recordHeap(probe.heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()));
                }
            }, null, null);
        }
        probe.recordHeap(heapUsedNow());
        return probe;
    }

    private long heapUsed(Map<String, MemoryUsage> byPool) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : byPool.entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }

    private void recordHeap(long used) {
        peakHeapUsed.accumulateAndGet(used, Math::max);
    }

    /** CPU time of the whole process so far, all threads. */
    long cpuNanos() {
        return os.getProcessCpuTime();
    }

    /**
     * CPU time so far of the JIT compiler threads ({@code C1/C2 CompilerThread*}), from {@code /proc/self/task}, in
     * clock ticks of 10 ms; -1 where /proc is not available. Part of {@link #cpuNanos()}: a round that is still
     * compiling is not yet the steady state a long-running monitor lives in.
     */
    static long jitCpuNanos() {
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path thread : threads) {
                String name;
                String stat;
                try {
                    name = Files.readString(thread.resolve("comm")).trim();
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    // fields after the command name in parentheses: state is the 3rd, utime the 14th, stime the 15th
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
        } catch (IOException | RuntimeException unavailable) {
            return -1;
        }
        return ticks * 10_000_000L;
    }

    /** The most heap ever in use since {@link #install()}, garbage included. */
    long peakHeapUsed() {
        recordHeap(heapUsedNow());
        return peakHeapUsed.get();
    }

    static long heapUsedNow() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Heap still in use after a full collection: what the process really keeps. Costs a GC, so call it last. */
    static long liveHeapAfterFullGc() {
        System.gc();
        return heapUsedNow();
    }

    static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).filter(n -> n > 0).sum();
    }

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(n -> n > 0).sum();
    }

    static int peakThreads() {
        return ManagementFactory.getThreadMXBean().getPeakThreadCount();
    }

    /** Peak resident set size (VmHWM), in bytes; -1 where /proc is not available. */
    static long peakRssBytes() {
        long kb = procStatusKb("VmHWM:");
        return kb < 0 ? -1 : kb * 1024;
    }

    private static long procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException unavailable) {
            return -1;
        }
        return -1;
    }
}
