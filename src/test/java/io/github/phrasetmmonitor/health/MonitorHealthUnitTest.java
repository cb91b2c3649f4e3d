package io.github.phrasetmmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.phrase.PhraseApiException;
import io.github.phrasetmmonitor.phrase.PhraseLoginRefusedException;
import io.github.phrasetmmonitor.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MonitorHealthUnitTest {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

    private final ManualClock clock = new ManualClock(START);

    @Test
    void defaultStaleAfterIsThreeCronPeriodsCountedInTicks() {
        DeadManSwitch everyFiveMinutes = new DeadManSwitch(Optional.empty(), "0 0/5 * * * ?");
        // ticks after 10:01 are 10:05, 10:10, 10:15; the 10:15 round gets one period to finish
        assertThat(everyFiveMinutes.deadline(Instant.parse("2026-03-02T10:01:00Z")))
                .isEqualTo(Instant.parse("2026-03-02T10:20:00Z"));
    }

    @Test
    void aWorkingHoursCronDoesNotGoStaleOvernight() {
        DeadManSwitch workingHours = new DeadManSwitch(Optional.empty(), "0 0/15 7-19 ? * MON-FRI");
        Instant lastOfTheDay = Instant.parse("2026-03-06T19:45:10Z");
        // Friday evening: the next three rounds are on Monday morning
        assertThat(workingHours.deadline(lastOfTheDay)).isAfter(lastOfTheDay.plus(Duration.ofDays(2)));
    }

    @Test
    void anExplicitStaleAfterIsATimeSpan() {
        DeadManSwitch tenMinutes = new DeadManSwitch(Optional.of(Duration.ofMinutes(10)), "0 0/5 * * * ?");
        assertThat(tenMinutes.deadline(START)).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(tenMinutes.describe()).isEqualTo("monitor.stale-after 10m");
    }

    @Test
    void staleUntilARoundSucceedsThenFreshAgain() {
        MonitorHealth health = new MonitorHealth(clock, new DeadManSwitch(Optional.of(Duration.ofMinutes(10)),
                "0 0/5 * * * ?"));
        assertThat(health.staleSince()).as("a fresh start has its grace period").isEmpty();

        clock.advance(Duration.ofMinutes(11));
        assertThat(health.staleSince()).contains(START);

        health.tmFailed(new PhraseApiException("HTTP 500", 500));
        health.tmAnswered();
        assertThat(health.roundFinished()).isTrue();
        assertThat(health.staleSince()).isEmpty();
        assertThat(health.lastSuccessfulRound()).contains(clock.instant());
    }

    @Test
    void credentialsAreRefusedWhenNoTmGotAnAnswerAndOneWasRefused() {
        MonitorHealth health = new MonitorHealth(clock, new DeadManSwitch(Optional.empty(), "0 0/5 * * * ?"));

        health.tmFailed(new RuntimeException("wrapped", new PhraseLoginRefusedException("refused", 401)));
        health.tmFailed(new PhraseApiException("HTTP 503", 503));
        assertThat(health.roundFinished()).isFalse();
        assertThat(health.credentialsRefused()).isTrue();

        health.tmFailed(new PhraseApiException("HTTP 503", 503));
        health.roundFinished();
        assertThat(health.credentialsRefused()).as("Phrase down says nothing about the credentials").isTrue();

        health.tmFailed(new PhraseLoginRefusedException("403 on one TM", 403));
        health.tmAnswered();
        health.roundFinished();
        assertThat(health.credentialsRefused()).as("one TM answered: the credentials work").isFalse();
    }
}
