package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.ManualClock;
import io.github.phrasetmmonitor.support.StateFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the planner decides, it records: held for its round once, not per pass; given up, the fallback; sent. */
class DecisionRecordPlannerUnitTest {

    private static final Routing SLACK = new Routing(List.of("slack"), Map.of("slack", "default", "email",
            "ops@example.com"));

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final AtomicBoolean roundUnderWay = new AtomicBoolean(true);
    private IncidentState state;
    private AlertPlanner planner;

    @BeforeEach
    void start() {
        state = new IncidentState(dir.resolve(IncidentState.JOURNAL), clock, true,
                Map.of("slack", "default", "email", "ops@example.com"));
        state.start();
        RoundUnderWay rounds = new RoundUnderWay() {
            @Override
            public void found(Exchange check, String tmUid) {
            }

            @Override
            public BiPredicate<String, Instant> held() {
                return (tm, at) -> roundUnderWay.get();
            }
        };
        planner = new AlertPlanner(state, AlertTestData.channels(), Optional.of("email"), Duration.ZERO, 5, rounds,
                io.github.phrasetmmonitor.silence.Silences.NONE,
                new DecisionRecord(state, "host-a"));
    }

    @AfterEach
    void stop() {
        state.stop();
    }

    private List<String> history() {
        return state.history("tm1", null, null, null).stream().map(entry -> entry.decision().describe()).toList();
    }

    @Test
    void heldForItsRoundOnceThenGivenUpThenCarriedByTheFallback() throws Exception {
        state.failed(new FailureFacts("Name", "tm1", "t1", "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(),
                null), SLACK);
        for (int pass = 0; pass < 5; pass++) {
            assertThat(planner.announcements("slack")).isEmpty();
        }
        int lines = StateFile.completeLines(state.journal()).size();
        assertThat(planner.announcements("slack")).isEmpty();
        assertThat(StateFile.completeLines(state.journal())).as("another pass, no line").hasSize(lines);

        roundUnderWay.set(false);
        Notice alert = planner.announcements("slack").get(0);
        planner.notDelivered(alert);
        List<Notice> standIn = planner.fallbacks("email");
        assertThat(standIn).hasSize(1);
        standIn.forEach(planner::delivered);

        assertThat(history()).containsExactly(
                "held back alert on slack to default: held for its round (found by a round still under way; due"
                        + " when it ends) [host-a]",
                "held back alert on slack to default: waiting for the fallback channel (alert.fallback-channel email)"
                        + " [host-a]",
                "sent fallback on email to ops@example.com: sent by the fallback channel (the alert for slack)"
                        + " [host-a]");
    }

    @Test
    void aSilencedAlertIsRecordedOnceWithTheSilenceThatHeldItBack() throws Exception {
        roundUnderWay.set(false);
        io.github.phrasetmmonitor.silence.Silences window = new io.github.phrasetmmonitor.silence.Silences(List.of(
                io.github.phrasetmmonitor.silence.MaintenanceWindow.once("migration", 1,
                        io.github.phrasetmmonitor.silence.SilenceMatcher.EVERYTHING, java.time.ZoneId.of("UTC"),
                        java.time.LocalDateTime.parse("2026-12-01T09:00"),
                        java.time.LocalDateTime.parse("2026-12-01T12:00"))),
                io.github.phrasetmmonitor.silence.SilenceStore.NONE,
                io.github.phrasetmmonitor.silence.Silences.AfterSilence.TELL, clock);
        AlertPlanner silenced = new AlertPlanner(state, AlertTestData.channels(), Optional.empty(), Duration.ZERO, 5,
                RoundUnderWay.NONE, window, new DecisionRecord(state, "host-a"));
        state.failed(new FailureFacts("Name", "tm1", "t1", "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(),
                null), SLACK);
        for (int pass = 0; pass < 3; pass++) {
            assertThat(silenced.announcements("slack")).isEmpty();
        }
        assertThat(history()).singleElement().asString()
                .startsWith("held back alert on slack to default: silenced (by ")
                .contains("migration", "sent once it ends");
    }
}
