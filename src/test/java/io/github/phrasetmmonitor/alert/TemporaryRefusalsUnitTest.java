package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** After a 4xx a notice waits minutes, doubling, as mail servers space their retries; a delivery starts afresh. */
class TemporaryRefusalsUnitTest {

    private static final Instant T0 = Instant.parse("2024-05-06T07:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final TemporaryRefusals refusals = new TemporaryRefusals(Duration.ofMinutes(1), clock);

    private static Notice notice(String tm) {
        Routing routing = new Routing(List.of("email"), Map.of("email", "ops@example.com"));
        return new Notice(Notice.Kind.ALERT, "email", "ops@example.com", null, List.of(Incident.detected(
                new FailureFacts("Name " + tm, tm, "task-" + tm, "IMPORT_TMX", null, "ERROR", "X", "broken",
                        List.of(), null), routing, T0)));
    }

    @Test
    void theWaitStartsAtTheSettingAndDoublesUpToHalfAnHour() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 20).stream().map(refusals::waitAfter).toList()).containsExactly(
                Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
                Duration.ofMinutes(16), Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofMinutes(30));
    }

    @Test
    void aRefusedNoticeIsHeldBackUntilItsWaitIsOverAndOnlyThatNotice() {
        Notice refused = notice("a");
        assertThat(refusals.refused(refused)).isEqualTo(T0.plusSeconds(60));

        assertThat(refusals.heldBackUntil(refused)).contains(T0.plusSeconds(60));
        assertThat(refusals.heldBackUntil(notice("b"))).isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(refusals.heldBackUntil(refused)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(refusals.heldBackUntil(refused)).isEmpty();

        // refused again: twice as long
        assertThat(refusals.refused(refused)).isEqualTo(clock.instant().plusSeconds(120));
        refusals.delivered(refused);
        assertThat(refusals.heldBackUntil(refused)).isEmpty();
        assertThat(refusals.refused(refused)).as("after a delivery, from the first wait again")
                .isEqualTo(clock.instant().plusSeconds(60));
    }
}
