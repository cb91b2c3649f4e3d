package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.silence.MaintenanceWindow;
import io.github.phrasetmmonitor.silence.SilenceMatcher;
import io.github.phrasetmmonitor.silence.SilenceStore;
import io.github.phrasetmmonitor.silence.Silences;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.IncidentKey;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.ProblemFacts;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silenced incident is recorded and counted, its notices held back while the silence is on; after it, what
 * alert.after-silence says: tell sends what is still open, once; drop sends nothing of it, ever.
 */
class SilencedDeliveryUnitTest {

    private static final Routing BOTH = new Routing(List.of("slack", "email"),
            Map.of("slack", "default", "email", "ops@example.com"));
    private static final Instant START = Instant.parse("2026-12-12T22:00:00Z");
    /** Phrase's announced maintenance, 22:00 to 00:00 UTC: the outage problem and failed tasks are silenced. */
    private static final MaintenanceWindow MAINTENANCE = MaintenanceWindow.once("phrase-maintenance", 1,
            new SilenceMatcher(null, null, Set.of("phrase-unavailable", "task-failed")), ZoneId.of("UTC"),
            LocalDateTime.parse("2026-12-12T22:00"), LocalDateTime.parse("2026-12-13T00:00"));

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START.plus(Duration.ofMinutes(5)));
    private IncidentState state;

    @BeforeEach
    void start() {
        state = new IncidentState(dir.resolve(IncidentState.JOURNAL), clock, true,
                Map.of("slack", "default", "email", "ops@example.com"));
        state.start();
    }

    @AfterEach
    void stop() {
        state.stop();
    }

    private AlertPlanner planner(Silences.AfterSilence after, Duration repeat) {
        return new AlertPlanner(state, AlertTestData.channels(), Optional.empty(), repeat, 5, RoundUnderWay.NONE,
                new Silences(List.of(MAINTENANCE), SilenceStore.NONE, after, clock));
    }

    /** One delivery pass on each channel: what was due, recorded as taken. */
    private static List<Notice> pass(AlertPlanner planner) {
        List<Notice> sent = Stream.of("slack", "email").flatMap(channel -> Stream.of(
                planner.announcements(channel), planner.reminders(channel), planner.resolvedNotices(channel))
                .flatMap(List::stream)).toList();
        sent.forEach(planner::delivered);
        return sent;
    }

    private void outage() {
        state.problemHolds(new ProblemFacts("phrase-unavailable", null, null, "Phrase", "no answer", clock.instant(),
                "HTTP 503"));
        state.routed(IncidentKey.problem("phrase-unavailable"), BOTH);
    }

    private static FailureFacts failed(String tm) {
        return new FailureFacts("Name " + tm, tm, "task-" + tm, "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(),
                null);
    }

    @Test
    void anOutageInTheWindowIsToldOnceWhenItEndsIfStillOpenWithTell() {
        AlertPlanner planner = planner(Silences.AfterSilence.TELL, Duration.ZERO);
        outage();
        state.failed(failed("a"), BOTH);
        assertThat(pass(planner)).as("during the window").isEmpty();
        assertThat(state.openIncidents()).as("recorded all the same").hasSize(2);
        clock.advance(Duration.ofHours(1));
        assertThat(pass(planner)).as("still in the window").isEmpty();

        clock.advance(Duration.ofHours(1)); // 00:05, the window is over
        List<Notice> after = pass(planner);
        assertThat(after).extracting(Notice::kind, Notice::channel).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.ALERT, "slack"),
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.ALERT, "email"),
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.ALERT, "slack"),
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.ALERT, "email"));
        assertThat(pass(planner)).as("once").isEmpty();
    }

    @Test
    void anOutageOverInTheWindowIsDroppedQuietlyWithTell() {
        AlertPlanner planner = planner(Silences.AfterSilence.TELL, Duration.ZERO);
        outage();
        assertThat(pass(planner)).isEmpty();
        clock.advance(Duration.ofMinutes(30));
        state.problemOver("phrase-unavailable");
        clock.advance(Duration.ofHours(2));
        assertThat(pass(planner)).as("nobody heard of it: no alert, no recovery").isEmpty();
        assertThat(state.openIncidents()).isEmpty();
    }

    @Test
    void withDropNothingOfWhatTheWindowHeldBackIsEverSent() {
        AlertPlanner planner = planner(Silences.AfterSilence.DROP, Duration.ofHours(1));
        outage();
        assertThat(pass(planner)).isEmpty();
        clock.advance(Duration.ofHours(3)); // after the window, the outage still on
        assertThat(pass(planner)).as("no alert, no reminder after the window").isEmpty();
        state.problemOver("phrase-unavailable");
        assertThat(pass(planner)).as("no recovery of a problem nobody was told of").isEmpty();
        assertThat(state.openIncidents()).isEmpty();
    }

    @Test
    void aFailureToldBeforeTheWindowGetsNeitherReminderNorResolvedNoticeInIt() {
        clock.set(START.minus(Duration.ofHours(2)));
        AlertPlanner planner = planner(Silences.AfterSilence.TELL, Duration.ofHours(1));
        state.failed(failed("a"), BOTH);
        assertThat(pass(planner)).hasSize(2);
        clock.set(START.plus(Duration.ofMinutes(10)));
        assertThat(pass(planner)).as("the reminder is held back").isEmpty();
        state.succeeded("a", "task-a2", "IMPORT_TMX", null);
        assertThat(pass(planner)).as("the resolved notice is held back").isEmpty();

        clock.set(START.plus(Duration.ofHours(2)));
        assertThat(pass(planner)).extracting(Notice::kind).containsOnly(Notice.Kind.RESOLVED).hasSize(2);
        assertThat(state.openIncidents()).isEmpty();
    }

    @Test
    void aSilenceOfEverythingStillTellsTheOutage() {
        AlertPlanner planner = new AlertPlanner(state, AlertTestData.channels(), Optional.empty(), Duration.ZERO, 5,
                RoundUnderWay.NONE, new Silences(List.of(MaintenanceWindow.once("all", 1, SilenceMatcher.EVERYTHING,
                ZoneId.of("UTC"), LocalDateTime.parse("2026-12-12T22:00"), LocalDateTime.parse("2026-12-13T00:00"))),
                SilenceStore.NONE, Silences.AfterSilence.TELL, clock));
        outage();
        state.failed(failed("a"), BOTH);
        assertThat(pass(planner)).extracting(notice -> notice.incidents().get(0).key())
                .containsOnly(IncidentKey.problem("phrase-unavailable"));
    }
}
