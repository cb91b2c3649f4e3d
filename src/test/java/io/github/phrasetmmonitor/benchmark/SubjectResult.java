package io.github.phrasetmmonitor.benchmark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;

/**
 * What a subject (the monitor or the plain baseline) reports about its JVM once its rounds are done, printed as one
 * line {@code BENCHMARK-RESULT {json}} that the driver picks out of the subject's output. Each round is reported
 * on its own line as it ends ({@link Round}).
 *
 * @param startupCpuMillis process CPU time from JVM start to the first round's start
 * @param peakHeapBytes    most heap ever in use, garbage included, JVM start to the last round's end
 * @param liveHeapBytes    heap in use after a full GC once the rounds are done
 * @param peakRssBytes     VmHWM: peak resident set size of the process
 * @param outcomes         outcome counts over all rounds where the subject knows them (the baseline), else empty
 */
record SubjectResult(String subject, int tms, long startupCpuMillis, long peakHeapBytes, long liveHeapBytes,
                     long maxHeapBytes, long peakRssBytes, int peakThreads, Map<String, Integer> outcomes) {

    static final String PREFIX = "BENCHMARK-RESULT ";
    static final String ROUND_PREFIX = "BENCHMARK-ROUND ";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One polling round.
     *
     * @param roundMillis wall time from the round's start (first TM list request about to go) to its end
     * @param cpuMillis   process CPU time spent during the round, all threads (GC and JIT included)
     * @param jitCpuMillis the part of it spent by the JIT compiler threads, -1 where unknown
     */
    record Round(int round, long roundMillis, long cpuMillis, long jitCpuMillis, long gcCount, long gcMillis) {

        String line() {
            return ROUND_PREFIX + json(this);
        }

        static Optional<Round> parse(String line) {
            return read(line, ROUND_PREFIX, Round.class);
        }
    }

    String line() {
        return PREFIX + json(this);
    }

    static Optional<SubjectResult> parse(String line) {
        return read(line, PREFIX, SubjectResult.class);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> Optional<T> read(String line, String prefix, Class<T> type) {
        if (!line.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(line.substring(prefix.length()), type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable result line: " + line, e);
        }
    }
}
