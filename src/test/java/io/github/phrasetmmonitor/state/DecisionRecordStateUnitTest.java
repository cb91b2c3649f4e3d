package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.support.ManualClock;
import io.github.phrasetmmonitor.support.StateFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision record kept with each incident: bounded, written once per reason, kept after closing for a while. */
class DecisionRecordStateUnitTest {

    private static final Routing SLACK = new Routing(List.of("slack"), Map.of("slack", "default"));
    private static final IncidentState.HistoryBounds BOUNDS = new IncidentState.HistoryBounds(5, Duration.ofDays(7));

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    private IncidentState state;

    private IncidentState start() {
        state = new IncidentState(dir.resolve(IncidentState.JOURNAL), clock, true, Map.of("slack", "default"), BOUNDS);
        state.start();
        return state;
    }

    @AfterEach
    void stop() {
        if (state != null) {
            state.stop();
        }
    }

    private static FailureFacts facts(String tm, String task) {
        return new FailureFacts("Name " + tm, tm, task, "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(), null);
    }

    private Decision held(Decision.Reason reason, String detail) {
        return Decision.held(clock.instant(), "slack", "default", "alert", reason, detail, "host-a");
    }

    private List<String> lines(String tm) {
        return state.history(tm, null, null, null).stream()
                .map(entry -> entry.decision().describe()).toList();
    }

    @Test
    void aReasonHeldBackAgainWritesNoLineAndANewReasonWritesOne() throws Exception {
        start().failed(facts("tm1", "t1"), SLACK);
        IncidentKey key = IncidentKey.task("tm1", "t1");
        state.decided(key, held(Decision.Reason.FAILED_WILL_RETRY, "tried again at the next round"));
        long lines = StateFile.completeLines(state.journal()).size();
        for (int pass = 0; pass < 10; pass++) {
            clock.advance(Duration.ofMinutes(1));
            state.decided(key, held(Decision.Reason.FAILED_WILL_RETRY, "tried again at the next round"));
        }
        assertThat(StateFile.completeLines(state.journal())).as("ten more passes holding it back").hasSize((int) lines);
        state.decided(key, held(Decision.Reason.WAITING_FOR_FALLBACK, "alert.fallback-channel email"));
        assertThat(StateFile.completeLines(state.journal())).hasSize((int) lines + 1);
        assertThat(lines("tm1")).containsExactly(
                "held back alert on slack to default: failed, tried again (tried again at the next round) [host-a]",
                "held back alert on slack to default: waiting for the fallback channel (alert.fallback-channel email)"
                        + " [host-a]");
    }

    @Test
    void theRecordNeverGrowsPastItsBoundAndKeepsTheNewest() {
        start().failed(facts("tm1", "t1"), SLACK);
        IncidentKey key = IncidentKey.task("tm1", "t1");
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(1));
            state.decided(key, held(Decision.Reason.FAILED_WILL_RETRY, "attempt " + i));
            assertThat(state.find(key).orElseThrow().history()).hasSizeLessThanOrEqualTo(BOUNDS.size());
        }
        assertThat(lines("tm1")).hasSize(5).last().asString().contains("attempt 19");
        assertThat(lines("tm1")).first().asString().contains("attempt 15");
    }

    @Test
    void theRecordSurvivesARestartAndTheIncidentsClosingUntilItsRetentionEnds() {
        start().failed(facts("tm1", "t1"), SLACK);
        IncidentKey key = IncidentKey.task("tm1", "t1");
        state.delivered(key, Incident.Stage.ALERT, "slack", "slack", null,
                Decision.sent(clock.instant(), "slack", "default", "alert", null, null, "host-a"));
        clock.advance(Duration.ofHours(1));
        state.succeeded("tm1", "t2", "IMPORT_TMX", null);
        state.delivered(key, Incident.Stage.RESOLVED, "slack", "slack", null,
                Decision.sent(clock.instant(), "slack", "default", "resolved", null, null, "host-a"));
        assertThat(state.find(key)).as("closed").isEmpty();
        List<String> before = lines("tm1");
        assertThat(before).containsExactly("sent alert on slack to default [host-a]",
                "sent resolved on slack to default [host-a]");

        state.stop();
        start();
        assertThat(lines("tm1")).as("after a restart, which rewrote the journal").isEqualTo(before);
        assertThat(state.history(null, "t1", null, null)).hasSize(2);
        assertThat(state.history("tm1", null, clock.instant().minusSeconds(60), null)).hasSize(1);

        clock.advance(Duration.ofDays(8));
        assertThat(lines("tm1")).as("past alert.history.retention").isEmpty();
        state.stop();
        start();
        assertThat(lines("tm1")).isEmpty();
        assertThat(state.knows(key)).as("the closed task's tombstone stays").isTrue();
    }

    @Test
    void aProblemThatIsBackKeepsTheRecordOfItsEarlierLife() {
        start();
        ProblemFacts stale = new ProblemFacts("stale", null, null, "the monitor", "no round", clock.instant(), "none");
        state.problemHolds(stale);
        IncidentKey key = IncidentKey.problem("stale");
        state.decided(key, Decision.held(clock.instant(), null, null, "alert", Decision.Reason.WITHDRAWN,
                "the open problem credentials explains it", null));
        state.problemOver("stale");
        assertThat(state.find(key)).isEmpty();
        clock.advance(Duration.ofMinutes(5));
        state.problemHolds(stale);
        assertThat(state.history(null, "stale", null, null)).singleElement()
                .satisfies(entry -> assertThat(entry.decision().reason()).isEqualTo(Decision.Reason.WITHDRAWN));
    }
}
