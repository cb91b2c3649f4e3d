package io.github.phrasetmmonitor.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.ProblemFacts;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A week of simulated rounds, failed and stuck tasks and problems of the monitor, driven through the real incident
 * state and the round hooks with a controlled clock: the summary's counts and durations are exact.
 */
class SummaryWeekUnitTest {

    private static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");
    private static final Routing ROUTING = new Routing(List.of("slack", "email"),
            Map.of("slack", "default", "email", "ops@example.com"));
    private static final List<Summaries.Target> TARGETS = List.of(new Summaries.Target("slack", "default"),
            new Summaries.Target("email", "ops@example.com"));

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(MONDAY);
    private IncidentState state;
    private Summaries summaries;

    @BeforeEach
    void start() {
        state = new IncidentState(dir.resolve("incidents.journal"), clock, true, Map.of());
        state.start();
        summaries = summaries();
        state.reportChangesTo(summaries);
    }

    @AfterEach
    void stop() {
        state.stop();
    }

    private Summaries summaries() {
        return new Summaries(new FileSummaryLedger(dir.resolve(FileSummaryLedger.FILE)), clock, TARGETS, 5,
                state::openIncidents);
    }

    @Test
    void aWeekOfTasksAndProblemsGivesExactCountsAndDurations() {
        // 28 rounds, one every 6 hours: 3 TMs OK each, and a failed check every 7th round
        for (int round = 0; round < 28; round++) {
            at(Duration.ofHours(6L * round).plusMinutes(1));
            for (int tm = 0; tm < 3; tm++) {
                summaries.checked("OK");
            }
            if (round % 7 == 0) {
                summaries.checked("ERROR");
            }
            summaries.roundFinished();
        }
        // failed a1 at day 0 01:00, resolved 2 h later
        at(hours(1));
        state.failed(task("tm-a", "Alpha", "a1"), ROUTING);
        at(hours(3));
        state.succeeded("tm-a", "a-ok", "IMPORT_TMX", "2026-11-30T03:00:00Z");
        // failed b1 day 1 10:00, resolved 1 h later
        at(days(1).plus(hours(10)));
        state.failed(task("tm-b", "Beta", "b1"), ROUTING);
        at(days(1).plus(hours(11)));
        state.succeeded("tm-b", "b-ok", "IMPORT_TMX", "x");
        // a2 day 2 00:00, superseded by a3 at 05:00 (did not end), a3 resolved at day 3 00:00 (19 h)
        at(days(2));
        state.failed(task("tm-a", "Alpha", "a2"), ROUTING);
        at(days(2).plus(hours(5)));
        state.failed(task("tm-a", "Alpha", "a3"), ROUTING);
        at(days(3));
        state.succeeded("tm-a", "a-ok2", "IMPORT_TMX", "x");
        // the account unreachable for 30 minutes on day 3
        at(days(3).plus(hours(2)));
        state.problemHolds(problem("phrase-unavailable", clock.instant()));
        at(days(3).plus(hours(2)).plusMinutes(30));
        state.problemOver("phrase-unavailable");
        // c1 stuck day 4 12:00, finished 4 h later
        at(days(4).plus(hours(12)));
        state.stuck(stuck("tm-c", "Gamma", "c1"), ROUTING);
        at(days(4).plus(hours(16)));
        state.taskMoved("tm-c", "c1", false, "IMPORT_TMX", "x");
        // b2 day 5 08:00, still open at the end
        at(days(5).plus(hours(8)));
        state.failed(task("tm-b", "Beta", "b2"), ROUTING);
        // no round for hours on day 6, 20:00: still open at the end (4 h)
        at(days(6).plus(hours(20)));
        state.problemHolds(problem("stale", clock.instant()));

        at(days(7));
        summaries.periodEnded();
        List<SummaryDelivery> owed = summaries.pending();

        assertThat(owed).extracting(SummaryDelivery::channel).containsExactly("slack", "email");
        SummaryReport report = owed.get(0).report();
        assertThat(report.to()).isEqualTo(MONDAY.plus(days(7)));
        assertThat(report.from()).isEqualTo(MONDAY);
        assertThat(report.rounds()).isEqualTo(28);
        assertThat(report.checks()).containsEntry("OK", 84L).containsEntry("ERROR", 4L).containsEntry("FAILED", 0L);
        assertThat(report.totalChecks()).isEqualTo(88);
        assertThat(report.failedTasks()).isEqualTo(5);
        assertThat(report.stuckTasks()).isEqualTo(1);
        assertThat(report.stillOpen()).isEqualTo(1);
        // ended: 2 h, 1 h, 19 h, 4 h (a2 was superseded, not resolved)
        assertThat(report.resolved()).isEqualTo(4);
        assertThat(report.medianToResolve()).isEqualTo(Duration.ofHours(3));
        assertThat(report.worstToResolve()).isEqualTo(Duration.ofHours(19));
        assertThat(report.failingMost()).containsExactly(new SummaryReport.TmFailures("tm-a", "Alpha", 3),
                new SummaryReport.TmFailures("tm-b", "Beta", 2));
        assertThat(report.problems()).containsExactly(
                new SummaryReport.ProblemSpan("phrase-unavailable", MONDAY.plus(days(3)).plus(hours(2)),
                        Duration.ofMinutes(30), false),
                new SummaryReport.ProblemSpan("stale", MONDAY.plus(days(6)).plus(hours(20)), Duration.ofHours(4),
                        true));
    }

    @Test
    void aSummaryIsOwedUntilItsChannelTookItAcrossARestartAndTheNextCoversOnlyItsOwnPeriod() {
        at(hours(1));
        summaries.checked("FAILED");
        summaries.roundFinished();
        state.failed(task("tm-a", "Alpha", "a1"), ROUTING);
        at(days(7));
        summaries.periodEnded();
        List<SummaryDelivery> owed = summaries.pending();
        summaries.delivered(owed.get(0));

        // a restart: only email is still owed
        Summaries restarted = summaries();
        assertThat(restarted.pending()).extracting(SummaryDelivery::channel).containsExactly("email");
        restarted.delivered(restarted.pending().get(0));
        assertThat(restarted.pending()).isEmpty();

        // the next week: one round, nothing else; what came before was pruned and is not counted again
        at(days(8));
        restarted.checked("OK");
        restarted.roundFinished();
        at(days(14));
        restarted.periodEnded();
        SummaryReport next = restarted.pending().get(0).report();
        assertThat(next.from()).isEqualTo(MONDAY.plus(days(7)));
        assertThat(next.rounds()).isEqualTo(1);
        assertThat(next.failedTasks()).isZero();
        assertThat(next.stillOpen()).isEqualTo(1);
        assertThat(new FileSummaryLedger(dir.resolve(FileSummaryLedger.FILE)).lines())
                .noneMatch(line -> line.contains("\"detected\""));
    }

    @Test
    void aMissedSummaryIsSentOnceCoveringBothPeriods() {
        at(hours(1));
        state.failed(task("tm-a", "Alpha", "a1"), ROUTING);
        at(days(7));
        summaries.periodEnded();
        at(days(8));
        state.failed(task("tm-b", "Beta", "b1"), ROUTING);
        at(days(14));
        summaries.periodEnded();
        SummaryReport report = summaries.pending().get(0).report();
        assertThat(report.from()).isEqualTo(MONDAY);
        assertThat(report.to()).isEqualTo(MONDAY.plus(days(14)));
        assertThat(report.failedTasks()).isEqualTo(2);
    }

    @Test
    void noPeriodNoSummary() {
        summaries.roundFinished();
        assertThat(summaries.pending()).isEmpty();
    }

    @Test
    void theMedianOfAnEvenCountIsHalfwayBetweenTheMiddleTwo() {
        assertThat(SummaryReport.median(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2),
                Duration.ofMinutes(5), Duration.ofMinutes(9)))).isEqualTo(Duration.ofSeconds(210));
        assertThat(SummaryReport.median(List.of())).isNull();
    }

    private void at(Duration sinceMonday) {
        clock.advance(Duration.between(clock.instant(), MONDAY.plus(sinceMonday)));
    }

    private static Duration hours(long hours) {
        return Duration.ofHours(hours);
    }

    private static Duration days(long days) {
        return Duration.ofDays(days);
    }

    private static FailureFacts task(String tmUid, String tmName, String taskId) {
        return new FailureFacts(tmName, tmUid, taskId, "IMPORT_TMX", "2026-11-30T00:00:00Z", "ERROR", "E1",
                "broken", List.of(), null, null);
    }

    private static FailureFacts stuck(String tmUid, String tmName, String taskId) {
        return new FailureFacts(tmName, tmUid, taskId, "IMPORT_TMX", "2026-11-30T00:00:00Z", "RUNNING", null,
                null, List.of(), null, true);
    }

    private static ProblemFacts problem(String key, Instant since) {
        return new ProblemFacts(key, null, null, "Phrase problem", "what failed", since, "503");
    }
}
