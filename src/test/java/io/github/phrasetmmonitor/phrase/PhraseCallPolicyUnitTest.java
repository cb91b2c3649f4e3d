package io.github.phrasetmmonitor.phrase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class PhraseCallPolicyUnitTest {

    private final PhraseCallPolicy policy = new PhraseCallPolicy(null, null, null, 3,
            new io.github.phrasetmmonitor.settings.MonitorSettings.Pacing(Duration.ofMillis(500), Duration.ofSeconds(30),
                    Duration.ofMinutes(1), Duration.ofSeconds(60)));

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        assertThat(PhraseCallPolicy.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        assertThat(PhraseCallPolicy.retryAfter(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(PhraseCallPolicy.retryAfter("soon")).isNull();
        assertThat(PhraseCallPolicy.retryAfter("-3")).isNull();
        assertThat(PhraseCallPolicy.retryAfter(null)).isNull();
    }

    @Test
    void backoffGrowsWithJitterAndIsCapped() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoff(1)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
            assertThat(policy.backoff(3)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
            assertThat(policy.backoff(40)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        }
    }
}
