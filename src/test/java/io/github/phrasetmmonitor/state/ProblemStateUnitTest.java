package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
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
}
