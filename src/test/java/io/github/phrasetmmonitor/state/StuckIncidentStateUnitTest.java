package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 4, in the state store: a stuck task is an incident of its own key, beside a failure of the same task,
 * ends only by {@link IncidentState#taskMoved}, survives a restart, and journals written before it existed still load.
 */
class StuckIncidentStateUnitTest {

    private static final Map<String, String> DESTINATIONS = Map.of("slack", "default", "email", "ops@example.com");
    private static final Routing BOTH = new Routing(List.of("slack", "email"), DESTINATIONS);

    @TempDir
    Path dir;

    private IncidentState state;
    private boolean sendResolved = true;

    private Path journal() {
        return dir.resolve(IncidentState.JOURNAL);
    }

    private IncidentState restart() {
        if (state != null) {
            state.stop();
        }
        state = new IncidentState(journal(), Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC),
                sendResolved, DESTINATIONS);
        state.start();
        return state;
    }

    @AfterEach
    void stopState() {
        if (state != null) {
            state.stop();
        }
    }

    private static FailureFacts stuck(String tm, String task) {
        return new FailureFacts("Name " + tm, tm, task, "IMPORT_TMX", "2024-05-06 01:00:00 UTC", "RUNNING", null,
                null, List.of(), null, Boolean.TRUE);
    }

    private static FailureFacts failed(String tm, String task) {
        return new FailureFacts("Name " + tm, tm, task, "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(), null);
    }

    @Test
    void aStuckTaskIsItsOwnIncidentOnceAndSurvivesARestart() {
        IncidentState first = restart();
        assertThat(first.stuck(stuck("tm", "t1"), BOTH)).isTrue();
        assertThat(first.stuck(stuck("tm", "t1"), BOTH)).as("already known").isFalse();
        assertThat(first.stuck(failed("tm", "t1"), BOTH)).as("only stuck facts").isFalse();

        Incident record = restart().find(IncidentKey.stuck("tm", "t1")).orElseThrow();
        assertThat(record.isStuck()).isTrue();
        assertThat(record.kind()).isEqualTo(Incident.TASK_STUCK);
        assertThat(record.key()).isEqualTo(IncidentKey.stuck("tm", "t1")).isNotEqualTo(IncidentKey.task("tm", "t1"));
        assertThat(record.unsettledTargets()).containsExactly("slack", "email");
        assertThat(state.find("tm", "t1")).as("no failure of that task").isEmpty();
    }

    @Test
    void itEndsWhenTheTaskFinishesOrANewerOneAppearsNotWhileItRuns() {
        IncidentState store = restart();
        store.stuck(stuck("tm", "t1"), BOTH);
        store.alerted(IncidentKey.stuck("tm", "t1"), "slack", "slack");

        store.taskMoved("tm", "t1", true, "IMPORT_TMX", null);
        store.taskMoved("other", "t9", false, "IMPORT_TMX", "2024-05-06 07:00:00 UTC");
        assertThat(store.find(IncidentKey.stuck("tm", "t1")).orElseThrow().isResolved()).as("still running").isFalse();

        store.taskMoved("tm", "t2", true, "IMPORT_TMX", null);
        Incident over = restart().find(IncidentKey.stuck("tm", "t1")).orElseThrow();
        assertThat(over.resolution().taskId()).isEqualTo("t2");
        assertThat(over.owedResolvedNotice()).containsExactly("slack");

        state.notifiedResolved(IncidentKey.stuck("tm", "t1"), "slack");
        assertThat(restart().find(IncidentKey.stuck("tm", "t1"))).isEmpty();
        assertThat(state.stuck(stuck("tm", "t1"), BOTH)).as("a closed stuck task is never alerted again").isFalse();
    }

    @Test
    void aStuckTaskNoChannelTookOrWithResolvedNoticesOffIsClosedWhenItEnds() {
        IncidentState store = restart();
        store.stuck(stuck("tm", "t1"), BOTH);
        store.taskMoved("tm", "t1", false, "IMPORT_TMX", "2024-05-06 07:00:00 UTC");
        assertThat(store.find(IncidentKey.stuck("tm", "t1"))).isEmpty();

        sendResolved = false;
        store = restart();
        store.stuck(stuck("tm", "t5"), BOTH);
        store.alerted(IncidentKey.stuck("tm", "t5"), "email", "email");
        store.taskMoved("tm", "t5", false, "IMPORT_TMX", null);
        assertThat(store.find(IncidentKey.stuck("tm", "t5"))).isEmpty();
    }

    @Test
    void failuresAndSuccessesOfTheTmLeaveAStuckTaskToTaskMoved() {
        IncidentState store = restart();
        store.stuck(stuck("tm", "t1"), BOTH);
        store.alerted(IncidentKey.stuck("tm", "t1"), "slack", "slack");

        assertThat(store.failed(failed("tm", "t1"), BOTH)).as("the same task's failure is a new incident").isTrue();
        store.alerted(IncidentKey.task("tm", "t1"), "email", "email");
        store.succeeded("tm", "t3", "IMPORT_TMX", null);
        Incident stuck = store.find(IncidentKey.stuck("tm", "t1")).orElseThrow();
        assertThat(stuck.isResolved()).as("neither supersedes nor resolves the stuck task").isFalse();
        assertThat(store.find("tm", "t1").orElseThrow().isResolved()).as("the failure is resolved as ever").isTrue();
    }

    @Test
    void aJournalWrittenBeforeStuckTasksExistedLoadsAsFailedTasks() throws Exception {
        // lines as the release before this one wrote them: no "stuck" in facts or keys
        Files.writeString(journal(), """
                {"closed":{"tmUid":"tm","taskId":"t0"}}
                {"incident":{"facts":{"tmName":"Name tm","tmUid":"tm","taskId":"t1","action":"IMPORT_TMX",\
                "status":"ERROR","errorCode":"X","error":"broken","errorDetails":[]},"routing":{"channels":["slack"],\
                "destinations":{"slack":"default"}},"detectedAt":"2024-05-06T07:00:00Z","alerted":{"slack":\
                {"via":"slack","at":"2024-05-06T07:00:01Z"}},"reminded":{}}}
                """);
        IncidentState store = restart();

        Incident failure = store.find("tm", "t1").orElseThrow();
        assertThat(failure.isStuck()).isFalse();
        assertThat(failure.kind()).isEqualTo(Incident.TASK_FAILED);
        assertThat(failure.carriers()).containsExactly("slack");
        assertThat(store.failed(failed("tm", "t0"), BOTH)).as("the old tombstone still holds").isFalse();
        assertThat(store.stuck(stuck("tm", "t0"), BOTH)).as("a stuck key is another key").isTrue();
        assertThat(Files.readString(journal())).as("no stuck field on a failed task's lines")
                .contains("{\"closed\":{\"tmUid\":\"tm\",\"taskId\":\"t0\"}}")
                .contains("\"stuck\":true");
    }
}
