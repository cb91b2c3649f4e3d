package io.github.phrasetmmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.alert.AlertPlanner;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.phrase.PhraseApiException;
import io.github.phrasetmmonitor.phrase.PhraseLoginRefusedException;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What opens and closes a problem of the monitor, and what the one incident pipeline then tells, without Camel: the
 * real incident state and planner; problems are routed to the defaults as the shipped rules would.
 */
class MonitorProblemsUnitTest {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static final Map<String, String> DESTINATIONS = Map.of("slack", "default", "email", "ops@example.com");
    private static final Routing BOTH = new Routing(List.of("slack", "email"), DESTINATIONS);
    private static final PhraseApiException SERVER_ERROR =
            new PhraseApiException("GET …/lastBackgroundTask answered HTTP 503: busy", 503);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private MonitorHealth health;
    private IncidentState state;
    private AlertPlanner plan;
    private MonitorProblems problems;
    private int inFlight;

    @BeforeEach
    void start() {
        problems = open();
    }

    @AfterEach
    void stop() {
        state.stop();
    }

    private MonitorProblems open() {
        health = new MonitorHealth(clock, new DeadManSwitch(Optional.of(Duration.ofMinutes(10)), "0 0/5 * * * ?"));
        state = new IncidentState(dir.resolve(IncidentState.JOURNAL), clock, true, DESTINATIONS);
        state.start();
        plan = new AlertPlanner(state, io.github.phrasetmmonitor.alert.AlertTestData.channels(), Optional.empty(), Duration.ZERO, 5,
                io.github.phrasetmmonitor.alert.RoundUnderWay.NONE);
        return new MonitorProblems(state, health, clock, 3, "login as user 'ops-bot'",
                uid -> uid.equals("tmDown") ? "Docs EN-JA" : null, () -> inFlight);
    }

    private void round(Runnable checks) {
        checks.run();
        health.roundFinished();
        problems.roundFinished(true);
        clock.advance(Duration.ofSeconds(60));
    }

    private void failing(String uid, Throwable cause) {
        health.tmFailed(cause);
        problems.tmFailed(uid, cause);
    }

    private void answered(String uid) {
        health.tmAnswered();
        problems.tmAnswered(uid);
    }

    /** What the delivery threads would send now, on both channels, as if each channel took it. */
    private List<Notice> deliverAll() {
        state.unrouted().forEach(incident -> state.routed(incident.key(), BOTH));
        List<Notice> sent = new ArrayList<>();
        for (String channel : List.of("slack", "email")) {
            List<Notice> due = new ArrayList<>(plan.announcements(channel));
            due.addAll(plan.resolvedNotices(channel));
            due.forEach(plan::delivered);
            sent.addAll(due);
        }
        return sent;
    }

    private static List<String> keys(List<Notice> notices) {
        return notices.stream().flatMap(notice -> notice.incidents().stream()).map(i -> i.problem().key()).toList();
    }

    @Test
    void aTmFailingWhileOthersAnswerIsAProblemFromTheThresholdAndIsToldOnce() {
        round(() -> { answered("tmOk"); failing("tmDown", SERVER_ERROR); });
        round(() -> { answered("tmOk"); failing("tmDown", SERVER_ERROR); });
        assertThat(deliverAll()).isEmpty();

        round(() -> { answered("tmOk"); failing("tmDown", SERVER_ERROR); });
        List<Notice> told = deliverAll();
        assertThat(told).extracting(Notice::kind, Notice::channel).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.ALERT, "slack"),
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.ALERT, "email"));
        Incident problem = told.get(0).incident();
        assertThat(problem.problem().key()).isEqualTo("tm-failing:tmDown");
        assertThat(problem.problem().since()).isEqualTo(START);
        assertThat(problem.problem().lastError()).contains("HTTP 503");
        assertThat(problem.problem().subject()).isEqualTo("TM Docs EN-JA (tmDown)");

        round(() -> { answered("tmOk"); failing("tmDown", SERVER_ERROR); });
        assertThat(deliverAll()).as("not once per round").isEmpty();

        round(() -> { answered("tmOk"); answered("tmDown"); });
        assertThat(deliverAll()).extracting(Notice::kind).containsExactly(Notice.Kind.RESOLVED,
                Notice.Kind.RESOLVED);
        assertThat(deliverAll()).isEmpty();
        assertThat(state.openIncidents()).as("settled problems are forgotten").isEmpty();
    }

    @Test
    void anOutageOfEveryTmIsOneProblemNamingHowManyFailedAndTheCommonError() {
        List<String> tms = IntStream.range(0, 1000).mapToObj(i -> "tm" + i).toList();
        round(() -> tms.forEach(this::answered));
        for (int i = 0; i < 6; i++) {
            round(() -> tms.forEach(uid -> failing(uid, uid.equals("tm7")
                    ? new PhraseApiException("timed out", 0) : SERVER_ERROR)));
            clock.advance(Duration.ofMinutes(5)); // long past the dead-man switch's 10 minutes
        }
        List<Notice> told = deliverAll();
        assertThat(keys(told)).as("one problem per channel, not one per TM, and no stale beside it")
                .containsExactly(MonitorProblems.PHRASE_UNAVAILABLE, MonitorProblems.PHRASE_UNAVAILABLE);
        Incident outage = told.get(0).incident();
        assertThat(outage.problem().what()).contains("all 1000 watched TMs checked failed", "rounds in a row");
        assertThat(outage.problem().lastError()).contains("HTTP 503", "(999 of 1000 TMs)");
        assertThat(problems.open()).containsExactly(MonitorProblems.PHRASE_UNAVAILABLE);

        // Phrase is back, one TM still down: the outage is over (one recovery), that TM is not yet a problem
        round(() -> tms.forEach(uid -> {
            if (uid.equals("tm7")) {
                failing(uid, SERVER_ERROR);
            } else {
                answered(uid);
            }
        }));
        List<Notice> recovered = deliverAll();
        assertThat(recovered).extracting(Notice::kind).containsExactly(Notice.Kind.RESOLVED, Notice.Kind.RESOLVED);
        assertThat(keys(recovered)).containsOnly(MonitorProblems.PHRASE_UNAVAILABLE);
        assertThat(problems.open()).isEmpty();
    }

    @Test
    void aSingleWatchedTmFailingIsOneMessageNotTwo() {
        round(() -> answered("tmDown"));
        for (int i = 0; i < 12; i++) {
            round(() -> failing("tmDown", SERVER_ERROR));
            assertThat(problems.open()).doesNotContain(MonitorProblems.STALE, "tm-failing:tmDown");
        }
        assertThat(health.staleSince()).isPresent();
        assertThat(keys(deliverAll())).containsExactly(MonitorProblems.PHRASE_UNAVAILABLE,
                MonitorProblems.PHRASE_UNAVAILABLE);
    }

    @Test
    void aTmListThatCannotBeReadIsAnOutageToo() {
        for (int i = 0; i < 3; i++) {
            round(() -> problems.listFailed(new PhraseApiException("GET /api2/v1/transMemories answered HTTP 502", 502)));
        }
        assertThat(problems.open()).containsExactly(MonitorProblems.PHRASE_UNAVAILABLE);
        assertThat(deliverAll().get(0).incident().problem().what()).contains("TM list could not be read");
    }

    @Test
    void aMissingTmIsAProblemAtOnce() {
        round(() -> failing("tmGone", new PhraseApiException("translation memory tmGone does not exist (HTTP 404 on"
                + " GET /api2/v1/transMemories/tmGone)", 404)));
        assertThat(problems.open()).containsExactly("tm-not-found:tmGone");
        assertThat(deliverAll()).hasSize(2).allSatisfy(notice ->
                assertThat(notice.incident().problem().subject()).isEqualTo("TM tmGone"));
    }

    @Test
    void manyProblemsOpeningTogetherAreOneDigestPerChannel() {
        round(() -> IntStream.range(0, 40).forEach(i -> failing("gone" + i, new PhraseApiException("gone", 404))));
        List<Notice> told = deliverAll();
        assertThat(told).extracting(Notice::kind).containsExactly(Notice.Kind.DIGEST, Notice.Kind.DIGEST);
        assertThat(told).allSatisfy(notice -> assertThat(notice.incidents()).hasSize(40));
    }

    @Test
    void refusedCredentialsAreOneProblemOfTheAccountAndExplainTheStaleness() {
        PhraseLoginRefusedException refused = new PhraseLoginRefusedException("Phrase refused the login (HTTP 401)", 401);
        for (int i = 0; i < 20; i++) {
            round(() -> { failing("tmA", refused); failing("tmB", refused); });
        }
        assertThat(health.staleSince()).isPresent();
        assertThat(problems.open()).as("no TM problem, no outage, no stale problem: the credentials say it all")
                .containsExactly(MonitorProblems.CREDENTIALS);
        assertThat(deliverAll()).hasSize(2);
    }

    @Test
    void theDeadManSwitchIsAProblemBetweenRoundsToo() {
        round(() -> answered("tmA"));
        clock.advance(Duration.ofMinutes(11));
        problems.checkStale();
        List<Notice> stale = deliverAll();
        assertThat(keys(stale)).containsOnly(MonitorProblems.STALE);
        assertThat(stale.get(0).incident().problem().lastError()).contains("no check failed",
                "last successful round ended");

        round(() -> answered("tmA"));
        assertThat(deliverAll()).extracting(Notice::kind).containsOnly(Notice.Kind.RESOLVED);
    }

    @Test
    void aStaleProblemWithdrawnBeforeItWasToldSaysWhyInItsRecord() {
        round(() -> answered("tmA"));
        clock.advance(Duration.ofMinutes(11));
        problems.checkStale();
        assertThat(problems.open()).containsExactly(MonitorProblems.STALE);
        state.problemHolds(new io.github.phrasetmmonitor.state.ProblemFacts(MonitorProblems.PHRASE_UNAVAILABLE, null,
                null, "Phrase", "answers nothing", clock.instant(), "HTTP 503"));
        problems.checkStale();
        assertThat(problems.open()).containsExactly(MonitorProblems.PHRASE_UNAVAILABLE);
        assertThat(state.history(null, MonitorProblems.STALE, null, null)).singleElement()
                .satisfies(entry -> assertThat(entry.decision().describe()).isEqualTo(
                        "held back alert: withdrawn (the open problem phrase-unavailable explains it)"));
    }

    @Test
    void staleIsToldWhenRoundsStopAfterAnOutageBelowTheThreshold() {
        round(() -> answered("tmA"));
        round(() -> failing("tmA", SERVER_ERROR));
        clock.advance(Duration.ofMinutes(30)); // no round since
        problems.checkStale();
        assertThat(problems.open()).containsExactly(MonitorProblems.STALE);
        assertThat(deliverAll().get(0).incident().problem().lastError()).contains("TM tmA: GET …/lastBackgroundTask answered HTTP 503");
    }

    @Test
    void aProblemOverBeforeAnyChannelTookItIsNotTold() {
        round(() -> failing("tmGone", new PhraseApiException("not found", 404)));
        round(() -> answered("tmGone"));
        assertThat(deliverAll()).isEmpty();
        assertThat(state.openIncidents()).isEmpty();
    }

    @Test
    void aToldProblemIsNotToldAgainAfterARestartButItsRecoveryIs() throws Exception {
        PhraseLoginRefusedException refused = new PhraseLoginRefusedException("refused (HTTP 401)", 401);
        round(() -> failing("tmA", refused));
        state.unrouted().forEach(incident -> state.routed(incident.key(), BOTH));
        // Slack took it; email did not
        plan.announcements("slack").forEach(plan::delivered);
        state.stop();

        problems = open();
        round(() -> failing("tmA", refused));
        assertThat(plan.announcements("slack")).as("what Slack took is not sent again").isEmpty();
        assertThat(deliverAll()).extracting(Notice::channel).as("only what no channel took yet")
                .containsExactly("email");

        round(() -> answered("tmA"));
        assertThat(deliverAll()).extracting(Notice::kind).containsOnly(Notice.Kind.RESOLVED).hasSize(2);
        assertThat(Files.readString(dir.resolve(IncidentState.JOURNAL))).doesNotContain("password");
    }

    @Test
    void aRoundWithoutAnswersWhileASlowCheckStillRunsIsNoOutageRound() {
        round(() -> { answered("tmSlow"); answered("tmDown"); });
        inFlight = 1; // tmSlow's check of an earlier round is still running
        for (int i = 0; i < 5; i++) {
            round(() -> { failing("tmDown", SERVER_ERROR); failing("tmDown", SERVER_ERROR); });
        }
        assertThat(problems.open()).as("tmSlow may yet answer").isEmpty();

        inFlight = 0;
        for (int i = 0; i < 3; i++) {
            round(() -> failing("tmDown", SERVER_ERROR));
        }
        assertThat(problems.open()).containsExactly(MonitorProblems.PHRASE_UNAVAILABLE);
        assertThat(state.find(io.github.phrasetmmonitor.state.IncidentKey.problem(MonitorProblems.PHRASE_UNAVAILABLE))
                .orElseThrow().problem().what()).as("a TM failing twice counts once").contains("all 1 watched TM ");
    }
}
