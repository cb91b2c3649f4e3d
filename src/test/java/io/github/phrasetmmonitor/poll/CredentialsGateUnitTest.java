package io.github.phrasetmmonitor.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.phrase.RoundStoppedException;
import io.github.phrasetmmonitor.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a round may try credentials that Phrase refused, and how a round's checks share what Phrase answered. */
class CredentialsGateUnitTest {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T08:00:00Z"));
    private final CredentialsGate gate = new CredentialsGate("check-translation-memory", clock,
            Duration.ofMinutes(10), "login as user 'ops-bot'");
    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void afterEachRefusedRoundTheNextAttemptWaitsTwiceAsManyRoundsUpToTheCap() {
        // a round a minute, Phrase refusing every attempt: rounds 1, 2, 4, 8, 16, then every 10 minutes (the cap)
        List<Integer> attempts = new ArrayList<>();
        for (int minute = 1; minute <= 40; minute++) {
            clock.advance(Duration.ofMinutes(1));
            if (gate.roundMayTry()) {
                attempts.add(minute);
                gate.refused(checkIn(new Round(clock.instant())));
            }
        }
        assertThat(attempts).containsExactly(1, 2, 4, 8, 16, 26, 36);
    }

    @Test
    void anAnswerFromPhraseEndsTheWait() {
        for (int refusals = 0; refusals < 3; refusals++) {
            while (!gate.roundMayTry()) {
                clock.advance(Duration.ofMinutes(1));
            }
            gate.refused(checkIn(new Round(clock.instant())));
        }
        assertThat(gate.roundMayTry()).as("three refusals: the next three rounds wait").isFalse();

        while (!gate.roundMayTry()) {
            clock.advance(Duration.ofMinutes(1));
        }
        gate.accepted(checkIn(new Round(clock.instant())));

        assertThat(List.of(gate.roundMayTry(), gate.roundMayTry(), gate.roundMayTry())).containsOnly(true);
    }

    @Test
    void untilPhraseAnswersARoundsFirstCheckGoesAloneAndTheOthersTakeItsResult() throws Exception {
        Round refusedRound = new Round(clock.instant());
        Exchange probe = checkIn(refusedRound);
        assertThat(gate.admit(probe, refusedRound, CHECK_TIMEOUT)).as("the first check goes ahead").isTrue();
        CompletableFuture<Boolean> waiting = admitElsewhere(refusedRound);

        gate.refused(probe);

        assertThat(waiting.get()).as("Phrase refused: the waiting check is skipped").isFalse();
        assertThat(gate.admit(checkIn(refusedRound), refusedRound, CHECK_TIMEOUT)).isFalse();
        assertThatThrownBy(() -> gate.beforeCall(probe)).isInstanceOf(RoundStoppedException.class);
        assertThat(CredentialsGate.goesOn(refusedRound)).as("no more TMs handed out").isFalse();

        Round nextRound = new Round(clock.instant());
        Exchange nextProbe = checkIn(nextRound);
        assertThat(gate.admit(nextProbe, nextRound, CHECK_TIMEOUT)).isTrue();
        CompletableFuture<Boolean> next = admitElsewhere(nextRound);

        gate.accepted(nextProbe);

        assertThat(next.get()).as("Phrase answered: the waiting check goes on").isTrue();
        assertThat(gate.admit(checkIn(nextRound), nextRound, CHECK_TIMEOUT)).as("and no later check waits").isTrue();
    }

    @Test
    void anAnswerThatSaysNothingAboutTheCredentialsLetsTheRoundGoOn() throws Exception {
        Round round = new Round(clock.instant());
        Exchange probe = checkIn(round);
        assertThat(gate.admit(probe, round, CHECK_TIMEOUT)).isTrue();
        CompletableFuture<Boolean> waiting = admitElsewhere(round);

        gate.noVerdict(probe); // a 503, or no answer at all

        assertThat(waiting.get()).isTrue();
        Round nextRound = new Round(clock.instant());
        Exchange nextProbe = checkIn(nextRound);
        assertThat(gate.admit(nextProbe, nextRound, CHECK_TIMEOUT)).isTrue();
        CompletableFuture<Boolean> next = admitElsewhere(nextRound);
        assertThat(next).as("Phrase has still not answered: the next round probes again").isNotDone();

        gate.createRoutePolicy(context, "check-translation-memory", null).onExchangeDone(null, nextProbe);

        assertThat(next.get()).as("the probing check ended without a refusal").isTrue();
    }

    /** An exchange of a check in this round. */
    private Exchange checkIn(Round round) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(PollingRounds.ROUND, round);
        return exchange;
    }

    /** Another check of the round asks to go ahead, on a thread of its own; returns once it waits, if it must. */
    private CompletableFuture<Boolean> admitElsewhere(Round round) {
        CompletableFuture<Boolean> admitted = new CompletableFuture<>();
        Thread check = new Thread(() -> {
            try {
                admitted.complete(gate.admit(checkIn(round), round, CHECK_TIMEOUT));
            } catch (Throwable e) {
                admitted.completeExceptionally(e);
            }
        });
        check.setDaemon(true);
        check.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> admitted.isDone()
                || check.getState() == Thread.State.TIMED_WAITING);
        return admitted;
    }
}
