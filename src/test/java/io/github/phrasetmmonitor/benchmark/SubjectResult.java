package io.github.phrasetmmonitor.benchmark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;

/**
 * What a subject (the monitor or the plain baseline) reports about its one polling round, printed as one line
 * {@code BENCHMARK-RESULT {json}} that the driver picks out of the subject's output.
 *
 * @param roundMillis      wall time from the round's start (first TM list request about to go) to its end
 * @param roundCpuMillis   process CPU time spent during the round, all threads (GC and JIT included)
 * @param startupCpuMillis process CPU time from JVM start to the round's start
 * @param peakHeapBytes    most heap ever in use, garbage included, JVM start to round end
 * @param liveHeapBytes    heap in use after a full GC at the round's end
 * @param peakRssBytes     VmHWM: peak resident set size of the process
 * @param outcomes         outcome counts where the subject knows them (the baseline), else empty
 */
record SubjectResult(String subject, int tms, long roundMillis, long roundCpuMillis, long startupCpuMillis,
                     long roundGcCount, long roundGcMillis, long peakHeapBytes, long liveHeapBytes,
                     long maxHeapBytes, long peakRssBytes, int peakThreads, Map<String, Integer> outcomes) {

    static final String PREFIX = "BENCHMARK-RESULT ";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    String line() {
        try {
            return PREFIX + JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Optional<SubjectResult> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(line.substring(PREFIX.length()), SubjectResult.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable result line: " + line, e);
        }
    }
}
