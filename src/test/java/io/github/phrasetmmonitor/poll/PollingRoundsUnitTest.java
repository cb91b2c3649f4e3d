package io.github.phrasetmmonitor.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.health.DeadManSwitch;
import io.github.phrasetmmonitor.health.MonitorHealth;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.metrics.MonitorMetrics;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.support.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which round is under way, as the alert planner asks it: what a round finds is announced once it ended. */
class PollingRoundsUnitTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-06T07:00:00Z"));
    private IncidentState state;

    @AfterEach
    void stop() {
        state.stop();
    }

    private PollingRounds rounds() {
        return rounds(CatchUp.NONE);
    }

    private PollingRounds rounds(CatchUp catchUp) {
        state = new IncidentState(dir.resolve(IncidentState.JOURNAL), clock, true, Map.of("slack", "default"));
        state.start();
        MonitorHealth health = new MonitorHealth(clock, new DeadManSwitch(Optional.empty(), "0/1 * * * * ?"));
        MonitorProblems problems = new MonitorProblems(state, health, clock, 3, "API token (phrase.api-token)",
                uid -> null, () -> 0);
        return new PollingRounds(clock, health, new MonitorMetrics(new SimpleMeterRegistry(), health, () -> 2, List.of()),
                problems, new CredentialsGate("check-translation-memory", clock, Duration.ofMinutes(15),
                "API token (phrase.api-token)"), RoundLeases.SINGLE_PROCESS, catchUp);
    }

    @Test
    void whatARoundFoundIsHeldUntilItEndsEvenWhenTheNextOneStartedBesideItsSlowChecks() throws Exception {
        PollingRounds rounds = rounds();
        try (CamelContext context = new DefaultCamelContext()) {
            Exchange first = new DefaultExchange(context);
            assertThat(rounds.begin(first)).isTrue();
            Round round = PollingRounds.roundOf(first);
            round.expect(2);
            round.checkStarted();
            round.checkStarted();
            clock.advance(Duration.ofMillis(300));
            Instant tm1Failed = clock.instant();
            rounds.found(first, "tm1");
            assertThat(rounds.held().test("tm1", tm1Failed)).isTrue();
            assertThat(rounds.held().test("tm3", tm1Failed)).as("nothing found of tm3").isFalse();

            // every TM of the first round has started; tm2's check is slow: the next tick starts a round beside it,
            // which checks tm1 again (finding nothing new) and skips tm2
            clock.advance(Duration.ofSeconds(1));
            Exchange second = new DefaultExchange(context);
            assertThat(rounds.begin(second)).isTrue();
            clock.advance(Duration.ofMillis(300));
            Instant tm2Failed = clock.instant();
            rounds.found(first, "tm2");
            assertThat(rounds.held().test("tm2", tm2Failed)).as("found by the first round, which still runs").isTrue();

            // the second round ends first: what the first found stays held
            rounds.end(second);
            assertThat(rounds.held().test("tm1", tm1Failed)).isTrue();
            assertThat(rounds.held().test("tm2", tm2Failed)).isTrue();

            // the first round ends, and the second had found nothing: everything goes out together
            Exchange third = new DefaultExchange(context);
            clock.advance(Duration.ofSeconds(1));
            rounds.end(first);
            assertThat(rounds.held().test("tm1", tm1Failed)).isFalse();
            assertThat(rounds.held().test("tm2", tm2Failed)).isFalse();

            // a later round holds only what it found itself
            assertThat(rounds.begin(third)).isTrue();
            rounds.found(third, "tm1");
            assertThat(rounds.held().test("tm1", clock.instant())).isTrue();
            assertThat(rounds.held().test("tm2", clock.instant())).isFalse();
            rounds.end(third);
        }
    }

    @Test
    void aTickSkippedByALongRoundIsCaughtUpOnceButNotAfterARoundPhraseRefusedTheCredentialsIn() throws Exception {
        java.util.concurrent.atomic.AtomicInteger catchUps = new java.util.concurrent.atomic.AtomicInteger();
        PollingRounds rounds = rounds(catchUps::incrementAndGet);
        try (CamelContext context = new DefaultCamelContext()) {
            assertThat(skipATickWhileItRuns(rounds, context, false)).isEqualTo(1);
            assertThat(catchUps).as("the skipped tick is caught up once the round ends").hasValue(1);

            // the wait after a refusal is counted in rounds: a catch-up would count as one and shorten it
            skipATickWhileItRuns(rounds, context, true);
            assertThat(catchUps).as("no catch-up after a round in which Phrase refused the credentials").hasValue(1);
        }
    }

    /** Issue 23: a reload waits for the round under way, starts no round meanwhile, and catches the tick up after. */
    @Test
    void aChangeBetweenRoundsWaitsForTheRoundUnderWayAndTheTickSkippedMeanwhileIsCaughtUp() throws Exception {
        java.util.concurrent.atomic.AtomicInteger catchUps = new java.util.concurrent.atomic.AtomicInteger();
        PollingRounds rounds = rounds(catchUps::incrementAndGet);
        try (CamelContext context = new DefaultCamelContext()) {
            Exchange underWay = new DefaultExchange(context);
            assertThat(rounds.begin(underWay)).isTrue();
            PollingRounds.roundOf(underWay).expect(1);
            PollingRounds.roundOf(underWay).checkStarted();
            java.util.concurrent.CountDownLatch changing = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch mayEnd = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean roundOverWhenChanged = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.CompletableFuture<Boolean> change = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return rounds.betweenRounds(() -> {
                                roundOverWhenChanged.set(PollingRounds.roundOf(underWay).isOver());
                                changing.countDown();
                                mayEnd.await();
                                return true;
                            }, Duration.ofSeconds(30));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            // a tick while the change waits for the round: skipped, the round goes on
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                Exchange tick = new DefaultExchange(context);
                return !rounds.begin(tick);
            });
            assertThat(changing.getCount()).as("the change waits for the round under way").isOne();
            rounds.end(underWay);
            assertThat(changing.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(roundOverWhenChanged).as("made once the round had ended").isTrue();
            assertThat(rounds.begin(new DefaultExchange(context))).as("no round starts during the change").isFalse();
            mayEnd.countDown();
            assertThat(change.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(catchUps).as("the ticks skipped meanwhile are caught up once").hasValue(1);
            Exchange next = new DefaultExchange(context);
            assertThat(rounds.begin(next)).isTrue();
            rounds.end(next);
        }
    }

    /** A round that hands out its TMs slowly, a tick skipped meanwhile, then its end; returns the ticks skipped. */
    private int skipATickWhileItRuns(PollingRounds rounds, CamelContext context, boolean refused) {
        Exchange round = new DefaultExchange(context);
        assertThat(rounds.begin(round)).isTrue();
        PollingRounds.roundOf(round).expect(2);
        PollingRounds.roundOf(round).checkStarted();
        clock.advance(Duration.ofSeconds(1));
        int skipped = rounds.begin(new DefaultExchange(context)) ? 0 : 1;
        if (refused) {
            PollingRounds.roundOf(round).refuseCredentials();
        }
        rounds.end(round);
        return skipped;
    }
}
