package io.github.phrasetmmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.phrase.PhraseApiException;
import io.github.phrasetmmonitor.phrase.PhraseLoginRefusedException;
import io.github.phrasetmmonitor.state.ProblemState;
import io.github.phrasetmmonitor.support.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What opens and closes a problem of the monitor, and what is told when, without Camel. */
class MonitorProblemsUnitTest {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private MonitorHealth health;
    private ProblemState state;
    private MonitorProblems problems;

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
        state = new ProblemState(dir.resolve("monitor-problems.journal"));
        state.start();
        return new MonitorProblems(state, health, clock, 3, List.of("slack", "email"),
                channel -> channel.equals("email") ? "ops@example.com" : "default", "login as user 'ops-bot'",
                uid -> uid.equals("tmDown") ? "Docs EN-JA" : null);
    }

    private void round(Runnable checks) {
        checks.run();
        health.roundFinished();
        problems.roundFinished();
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

    private List<Notice> deliverAll() {
        List<Notice> due = problems.due();
        due.forEach(problems::delivered);
        return due;
    }

    @Test
    void aTmIsAProblemOnlyFromTheThresholdAndIsToldOnce() {
        PhraseApiException serverError = new PhraseApiException("GET …/lastBackgroundTask answered HTTP 500: oops", 500);
        round(() -> { answered("tmOk"); failing("tmDown", serverError); });
        round(() -> { answered("tmOk"); failing("tmDown", serverError); });
        assertThat(problems.due()).isEmpty();

        round(() -> { answered("tmOk"); failing("tmDown", serverError); });
        List<Notice> told = deliverAll();
        assertThat(told).extracting(Notice::kind, Notice::channel).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.PROBLEM, "slack"),
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.PROBLEM, "email"));
        assertThat(told.get(0).problem().since()).isEqualTo(START);
        assertThat(told.get(0).problem().lastError()).contains("HTTP 500");
        assertThat(told.get(0).problem().subject()).isEqualTo("TM Docs EN-JA (tmDown)");
        assertThat(told.get(0).destination()).isIn("default", "ops@example.com");

        round(() -> { answered("tmOk"); failing("tmDown", serverError); });
        assertThat(problems.due()).as("not once per round").isEmpty();

        round(() -> { answered("tmOk"); answered("tmDown"); });
        assertThat(deliverAll()).extracting(Notice::kind).containsExactly(Notice.Kind.RECOVERED,
                Notice.Kind.RECOVERED);
        assertThat(problems.due()).isEmpty();
        assertThat(state.all()).as("settled problems are forgotten").isEmpty();
    }

    @Test
    void aMissingTmIsAProblemAtOnce() {
        round(() -> failing("tmGone", new PhraseApiException("translation memory tmGone does not exist (HTTP 404 on"
                + " GET /api2/v1/transMemories/{uid})", 404)));
        assertThat(problems.open()).containsExactly("tm-not-found:tmGone");
        assertThat(problems.due()).hasSize(2).allSatisfy(notice ->
                assertThat(notice.problem().subject()).isEqualTo("TM tmGone"));
    }

    @Test
    void refusedCredentialsAreOneProblemOfTheAccountAndExplainTheStaleness() {
        PhraseLoginRefusedException refused = new PhraseLoginRefusedException("Phrase refused the login (HTTP 401)", 401);
        for (int i = 0; i < 20; i++) {
            round(() -> { failing("tmA", refused); failing("tmB", refused); });
        }
        assertThat(health.staleSince()).isPresent();
        assertThat(problems.open()).as("no TM problem, no stale problem: the credentials say it all")
                .containsExactly(MonitorProblems.CREDENTIALS);
        assertThat(deliverAll()).hasSize(2);
    }

    @Test
    void theDeadManSwitchIsAProblemBetweenRoundsToo() {
        round(() -> answered("tmA"));
        clock.advance(Duration.ofMinutes(11));
        List<Notice> stale = deliverAll();
        assertThat(stale).extracting(notice -> notice.problem().key()).containsOnly(MonitorProblems.STALE);
        assertThat(stale.get(0).problem().lastError()).contains("no check failed", "last successful round ended");

        round(() -> answered("tmA"));
        assertThat(deliverAll()).extracting(Notice::kind).containsOnly(Notice.Kind.RECOVERED);
    }

    @Test
    void theDeadManSwitchNamesTheLastFailedCheck() {
        round(() -> answered("tmA"));
        for (int i = 0; i < 12; i++) {
            round(() -> failing("tmA", new PhraseApiException("connection refused", 0)));
        }
        assertThat(problems.due()).filteredOn(notice -> notice.problem().key().equals(MonitorProblems.STALE))
                .isNotEmpty()
                .allSatisfy(notice -> assertThat(notice.problem().lastError()).contains("TM tmA: connection refused"));
    }

    @Test
    void aProblemOverBeforeAnyChannelTookItIsNotTold() {
        round(() -> failing("tmGone", new PhraseApiException("not found", 404)));
        round(() -> answered("tmGone"));
        assertThat(problems.due()).isEmpty();
        assertThat(state.all()).isEmpty();
    }

    @Test
    void aToldProblemIsNotToldAgainAfterARestartButItsRecoveryIs() throws Exception {
        PhraseLoginRefusedException refused = new PhraseLoginRefusedException("refused (HTTP 401)", 401);
        round(() -> failing("tmA", refused));
        // Slack took it; email did not
        problems.due().stream().filter(notice -> notice.channel().equals("slack")).forEach(problems::delivered);
        state.stop();

        problems = open();
        round(() -> failing("tmA", refused));
        assertThat(problems.due()).extracting(Notice::channel).as("only what no channel took yet")
                .containsExactly("email");
        problems.due().forEach(problems::delivered);

        round(() -> answered("tmA"));
        assertThat(deliverAll()).extracting(Notice::kind).containsOnly(Notice.Kind.RECOVERED).hasSize(2);
        assertThat(Files.readString(dir.resolve("monitor-problems.journal"))).doesNotContain("password");
    }
}
