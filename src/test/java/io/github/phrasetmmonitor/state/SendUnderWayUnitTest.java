package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 (a race seen under load): a task that ends while its alert is on its way. The channel's answer comes after
 * the task ended; the incident must still be there to record it, and then owe its resolved notice. An alert planned
 * before the end but not yet started is not sent at all.
 */
class SendUnderWayUnitTest {

    private static final Map<String, String> DESTINATIONS = Map.of("slack", "default");
    private static final Routing SLACK = new Routing(List.of("slack"), DESTINATIONS);
    private static final IncidentKey STUCK = IncidentKey.stuck("tm", "t1");
    private static final IncidentKey FAILED = IncidentKey.task("tm", "t0");

    @TempDir
    Path dir;

    private IncidentState state;

    @BeforeEach
    void start() {
        state = new IncidentState(dir.resolve(IncidentState.JOURNAL),
                Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC), true, DESTINATIONS);
        state.start();
    }

    @AfterEach
    void stop() {
        state.stop();
    }

    private Incident stuckTask() {
        state.stuck(new FailureFacts("Name tm", "tm", "t1", "IMPORT_TMX", "2024-05-06 01:00:00 UTC", "RUNNING", null,
                null, List.of(), null, Boolean.TRUE), SLACK);
        return state.find(STUCK).orElseThrow();
    }

    @Test
    void aStuckAlertTakenAfterTheTaskFailedIsFollowedByItsResolvedNotice() {
        Incident planned = stuckTask();
        assertThat(state.startSending(List.of(planned))).isTrue();

        state.taskMoved("tm", "t1", false, "IMPORT_TMX", "2024-05-06 07:00:00 UTC");
        assertThat(state.find(STUCK)).as("kept while its alert is on its way").isPresent()
                .get().matches(Incident::isResolved);

        state.alerted(STUCK, "slack", "slack");
        state.sendOver(List.of(planned));

        assertThat(state.find(STUCK).orElseThrow().owedResolvedNotice()).containsExactly("slack");
        state.notifiedResolved(STUCK, "slack");
        assertThat(state.find(STUCK)).as("closed once told").isEmpty();
    }

    @Test
    void anAlertThatWasNotTakenLeavesNothingOnceItsSendIsOver() {
        Incident planned = stuckTask();
        assertThat(state.startSending(List.of(planned))).isTrue();
        state.taskMoved("tm", "t1", false, "IMPORT_TMX", "2024-05-06 07:00:00 UTC");

        state.sendOver(List.of(planned));

        assertThat(state.find(STUCK)).as("nobody heard of it: closed").isEmpty();
        assertThat(state.openIncidents()).isEmpty();
    }

    @Test
    void twoChannelsSendingTheSameIncidentKeepItUntilBothAreOver() {
        Incident planned = stuckTask();
        assertThat(state.startSending(List.of(planned))).isTrue();
        assertThat(state.startSending(List.of(planned))).isTrue();
        state.taskMoved("tm", "t1", false, "IMPORT_TMX", "2024-05-06 07:00:00 UTC");

        state.sendOver(List.of(planned));
        assertThat(state.find(STUCK)).as("the other send is still under way").isPresent();
        state.sendOver(List.of(planned));
        assertThat(state.find(STUCK)).isEmpty();
    }

    @Test
    void anAlertPlannedBeforeTheTaskEndedButNotStartedIsNotSent() {
        Incident planned = stuckTask();
        state.taskMoved("tm", "t1", false, "IMPORT_TMX", "2024-05-06 07:00:00 UTC");

        assertThat(state.find(STUCK)).as("nothing under way: closed at once, as before").isEmpty();
        assertThat(state.startSending(List.of(planned))).isFalse();
    }

    @Test
    void aFailureResolvedWhileItsAlertIsOnItsWayOwesItsResolvedNotice() {
        state.failed(new FailureFacts("Name tm", "tm", "t0", "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(),
                null), SLACK);
        Incident planned = state.find(FAILED).orElseThrow();
        assertThat(state.startSending(List.of(planned))).isTrue();

        state.succeeded("tm", "t2", "IMPORT_TMX", "2024-05-06 07:00:00 UTC");
        assertThat(state.startSending(List.of(planned))).as("no new alert of a resolved failure").isFalse();
        state.alerted(FAILED, "slack", "slack");
        state.sendOver(List.of(planned));

        assertThat(state.find(FAILED).orElseThrow().owedResolvedNotice()).containsExactly("slack");
    }
}
