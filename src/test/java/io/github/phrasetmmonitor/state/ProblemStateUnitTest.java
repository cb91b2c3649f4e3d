package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.text.SafeText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The problem journal keeps what was told across restarts, survives a torn last line and forgets closed problems. */
class ProblemStateUnitTest {

    @TempDir
    Path dir;

    private ProblemState started() {
        ProblemState state = new ProblemState(dir.resolve("monitor-problems.journal"));
        state.start();
        return state;
    }

    @Test
    void whatWasToldSurvivesARestartAndAClosedProblemIsGone() {
        ProblemState state = started();
        MonitorProblem problem = MonitorProblem.detected("tm-failing:tmA", "TM tmA", "polling failed",
                Instant.parse("2026-03-02T10:00:00Z"), "HTTP 500", List.of("slack", "email"));
        state.save(problem.withAnnounced("slack"));
        state.save(MonitorProblem.detected("stale", "the monitor", "no round", Instant.EPOCH, "none",
                List.of("slack")));
        state.close("stale");
        state.stop();

        ProblemState again = started();
        assertThat(again.all()).hasSize(1);
        MonitorProblem read = again.get("tm-failing:tmA").orElseThrow();
        assertThat(read.announced()).containsExactly("slack");
        assertThat(read.since()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(read.isRecovered()).isFalse();
        again.stop();
    }

    @Test
    void aLineTornByACrashIsIgnored() throws Exception {
        ProblemState state = started();
        state.save(MonitorProblem.detected("credentials", "the Phrase account", "refused", Instant.EPOCH,
                "HTTP 401", List.of("slack")).withAnnounced("slack"));
        state.stop();
        Files.writeString(dir.resolve("monitor-problems.journal"), "{\"problem\":{\"key\":\"credentials\",\"ann",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        ProblemState again = started();
        assertThat(again.get("credentials").orElseThrow().announced()).containsExactly("slack");
        again.stop();
        assertThat(Files.readString(dir.resolve("monitor-problems.journal"))).endsWith("\n");
    }

    /** Issue 14, item 5: a problem the earlier release wrote with a TM's 100,000-character name still loads, bounded. */
    @Test
    void aProblemWrittenWithAHugeTmNameLoadsAsOneBoundedLine() throws Exception {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("key", "tm-failing:tmA");
        problem.put("subject", "TM " + "N".repeat(100_000) + "\r\n (tmA)");
        problem.put("what", "polling this translation memory failed in 3 rounds in a row");
        problem.put("since", "2026-03-02T10:00:00Z");
        problem.put("lastError", "HTTP 500: oops\u202E\u0000");
        problem.put("channels", List.of("slack"));
        problem.put("announced", List.of("slack"));
        problem.put("recoveryAnnounced", List.of());
        Path journal = dir.resolve("monitor-problems.journal");
        Files.writeString(journal, new ObjectMapper().writeValueAsString(Map.of("problem", problem)) + "\n");

        ProblemState state = started();

        MonitorProblem read = state.get("tm-failing:tmA").orElseThrow();
        assertThat(read.subject()).hasSize(SafeText.LINE).startsWith("TM NNN").endsWith("N…");
        assertThat(read.lastError()).isEqualTo("HTTP 500: oops");
        assertThat(read.announced()).containsExactly("slack");
        state.stop();
        assertThat(Files.size(journal)).as("rewritten bounded").isLessThan(2_000);
    }
}
