package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.alert.AlertPlanner;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.support.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrade from the release before the incident pipeline: src/test/resources/upgrade/release-0.x holds the two
 * journals that release (commit cde7f89) wrote with its own AlertState and ProblemState: a failure alerted on both
 * channels, one with a pending email delivery, one resolved whose resolved notice is owed, a closed one, a problem
 * told on both channels, a recovered problem whose recovery is owed, a problem no channel heard of yet, and a closed
 * problem. Nothing is sent twice, nothing open is forgotten.
 */
class UpgradeFromReleaseZeroUnitTest {

    private static final Map<String, String> DESTINATIONS = Map.of("slack", "default", "email", "ops@example.com");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T09:00:00Z"));
    private IncidentState state;
    private AlertPlanner plan;

    @BeforeEach
    void copyTheEarlierReleasesStateDir() throws Exception {
        for (String journal : List.of(LegacyJournals.ALERTS, LegacyJournals.PROBLEMS)) {
            Files.copy(Path.of("src/test/resources/upgrade/release-0.x").resolve(journal), dir.resolve(journal));
        }
        start();
    }

    private void start() {
        state = new IncidentState(dir.resolve(IncidentState.JOURNAL), clock, true, DESTINATIONS);
        state.start();
        plan = new AlertPlanner(state, io.github.phrasetmmonitor.alert.AlertTestData.channels(), Optional.empty(), Duration.ZERO, 5,
                io.github.phrasetmmonitor.alert.RoundUnderWay.NONE);
    }

    @AfterEach
    void stop() {
        state.stop();
    }

    private static List<String> about(List<Notice> notices) {
        return notices.stream().flatMap(notice -> notice.incidents().stream()).map(i -> i.key().toString()).toList();
    }

    @Test
    void nothingIsSentTwiceAndWhatWasOwedIsStillOwed() {
        assertThat(about(plan.announcements("slack"))).as("Slack took every alert it was due").isEmpty();
        assertThat(about(plan.announcements("email"))).as("the pending email delivery")
                .containsExactly("TM tmB task taskB1");
        assertThat(about(plan.resolvedNotices("slack"))).as("the resolved notice and the recovery still owed")
                .containsExactly("TM tmC task taskC1", "tm-failing:tmE");
        assertThat(about(plan.resolvedNotices("email"))).isEmpty();
        assertThat(state.failed(new FailureFacts("Docs EN-ES", "tmD", "taskD1", "IMPORT_TMX", null, "ERROR", null,
                "Old", List.of(), null), new Routing(List.of("slack"), DESTINATIONS)))
                .as("a closed task stays closed").isFalse();
        assertThat(state.unrouted()).as("the problem no channel heard of waits for today's routing rules")
                .extracting(i -> i.problem().key()).containsExactly("tm-not-found:tmF");
        assertThat(state.find(IncidentKey.problem("stale"))).as("a closed problem stays closed").isEmpty();
    }

    @Test
    void theOpenProblemsRecoveryStillComesOnTheChannelsThatWereTold() {
        Incident credentials = state.find(IncidentKey.problem("credentials")).orElseThrow();
        assertThat(credentials.carriers()).containsExactlyInAnyOrder("slack", "email");
        assertThat(credentials.problem().since()).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));

        state.problemOver("credentials");

        assertThat(about(plan.resolvedNotices("email"))).containsExactly("credentials");
        assertThat(about(plan.resolvedNotices("slack"))).contains("credentials");
    }

    @Test
    void theEarlierJournalsAreReadOnceThenSetAside() throws Exception {
        assertThat(dir.resolve(IncidentState.JOURNAL)).exists();
        assertThat(dir.resolve(LegacyJournals.ALERTS)).doesNotExist();
        assertThat(dir.resolve(LegacyJournals.PROBLEMS)).doesNotExist();
        assertThat(dir.resolve(LegacyJournals.ALERTS + ".upgraded")).exists();
        assertThat(dir.resolve(LegacyJournals.PROBLEMS + ".upgraded")).exists();
        List<Incident> before = state.openIncidents();

        state.stop();
        Files.writeString(dir.resolve(LegacyJournals.PROBLEMS), "{\"problem\":{\"key\":\"stale\",\"subject\":\"x\","
                + "\"what\":\"x\",\"since\":\"2026-11-29T00:00:00Z\",\"lastError\":\"x\",\"channels\":[\"slack\"],"
                + "\"announced\":[\"slack\"]}}\n");
        start();

        assertThat(state.openIncidents()).as("once upgraded, only the incident journal counts").isEqualTo(before);
    }
}
