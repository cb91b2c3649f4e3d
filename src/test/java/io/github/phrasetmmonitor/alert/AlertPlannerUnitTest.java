package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.state.AlertState;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.FailureRecord;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is due when: digests per destination, reminders per interval, fallbacks that never send twice. */
class AlertPlannerUnitTest {

    private static final Routing BOTH = new Routing(List.of("slack", "email"), "default", "ops@example.com");
    private static final Routing LEGAL = new Routing(List.of("slack", "email"), "legal", "legal@example.com");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-06T07:00:00Z"));
    private AlertState state;

    @BeforeEach
    void start() {
        state = new AlertState(dir.resolve("alerts-sent.journal"), clock, true);
        state.start();
    }

    @AfterEach
    void stop() {
        state.stop();
    }

    private AlertPlanner planner(Optional<String> fallback, Duration repeat) {
        return new AlertPlanner(state, Set.of("slack", "email"), fallback, repeat, 5);
    }

    private static FailureFacts facts(String tm) {
        return new FailureFacts("Name " + tm, tm, "task-" + tm, "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(),
                null);
    }

    /** What each channel's delivery thread would find due, Slack's then email's. */
    private static List<Notice> everyChannel(java.util.function.Function<String, List<Notice>> due) {
        return java.util.stream.Stream.of("slack", "email").flatMap(channel -> due.apply(channel).stream()).toList();
    }

    private FailureRecord record(String tm) {
        return state.find(tm, "task-" + tm).orElseThrow();
    }

    @Test
    void digestsGoOnePerChannelAndDestination() {
        state.failed(facts("a"), BOTH);
        state.failed(facts("b"), BOTH);
        state.failed(facts("c"), LEGAL);
        AlertPlanner planner = planner(Optional.empty(), Duration.ZERO);

        List<Notice> slack = planner.digests(planner.unannounced("slack"), "slack");
        List<Notice> email = planner.digests(planner.unannounced("email"), "email");

        assertThat(slack).extracting(Notice::channel, Notice::destination, notice -> notice.failures().size())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("slack", "default", 2),
                        org.assertj.core.groups.Tuple.tuple("slack", "legal", 1));
        assertThat(email).extracting(Notice::channel, Notice::destination, notice -> notice.failures().size())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("email", "ops@example.com", 2),
                        org.assertj.core.groups.Tuple.tuple("email", "legal@example.com", 1));
    }

    @Test
    void remindersComeOncePerIntervalOnTheCarriers() {
        state.failed(facts("a"), BOTH);
        AlertPlanner planner = planner(Optional.empty(), Duration.ofHours(24));
        planner.alerts(planner.unannounced("slack"), "slack").forEach(planner::delivered);

        clock.advance(Duration.ofHours(23));
        assertThat(everyChannel(planner::reminders)).isEmpty();
        clock.advance(Duration.ofHours(1));
        List<Notice> reminders = everyChannel(planner::reminders);
        assertThat(reminders).extracting(Notice::kind, Notice::channel)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Notice.Kind.REMINDER, "slack"));

        reminders.forEach(planner::delivered);
        assertThat(everyChannel(planner::reminders)).isEmpty();
    }

    @Test
    void remindersOfMoreFailuresThanTheThresholdComeAsOneListPerChannel() {
        for (String tm : List.of("a", "b", "c", "d", "e", "f")) {
            state.failed(facts(tm), new Routing(List.of("slack"), "default", "ops@example.com"));
        }
        AlertPlanner planner = planner(Optional.empty(), Duration.ofHours(1));
        planner.digests(planner.unannounced("slack"), "slack").forEach(planner::delivered);
        clock.advance(Duration.ofHours(1));

        List<Notice> reminders = everyChannel(planner::reminders);

        assertThat(reminders).singleElement().satisfies(notice -> {
            assertThat(notice.kind()).isEqualTo(Notice.Kind.REMINDER);
            assertThat(notice.failures()).hasSize(6);
            assertThat(notice.summary()).isEqualTo("reminder of 6 failed tasks");
        });
        String text = new SlackAlertComposer(AlertTestData.shippedTemplates()).compose(reminders.get(0)).getText();
        assertThat(text).isEqualTo("Reminder: Phrase TM: 6 translation memories have a failed task");
        reminders.forEach(planner::delivered);
        assertThat(everyChannel(planner::reminders)).isEmpty();
    }

    @Test
    void aFallbackChannelThatAlreadyCarriesTheAlertOnlyCoversForTheOther() {
        state.failed(facts("a"), BOTH);
        AlertPlanner planner = planner(Optional.of("email"), Duration.ZERO);
        planner.alerts(planner.unannounced("email"), "email").forEach(planner::delivered);
        planner.alerts(planner.unannounced("slack"), "slack").forEach(planner::notDelivered); // Slack failed, email took it

        assertThat(planner.needsFallback("slack")).isTrue();
        assertThat(planner.fallbacks("email")).isEmpty();
        assertThat(record("a").unsettledTargets()).isEmpty();
        assertThat(record("a").carriers()).containsExactly("email");
    }

    @Test
    void aChannelThatHasNotTriedYetIsNotStoodInFor() {
        state.failed(facts("a"), new Routing(List.of("slack"), "default", "ops@example.com"));
        AlertPlanner planner = planner(Optional.of("email"), Duration.ZERO);

        assertThat(planner.needsFallback("slack")).isFalse();
        assertThat(planner.fallbacks("email")).as("Slack may just be slow; it has not given up").isEmpty();
        planner.alerts(planner.unannounced("slack"), "slack").forEach(planner::notDelivered);
        assertThat(planner.fallbacks("slack")).as("only the fallback channel stands in").isEmpty();
        assertThat(planner.fallbacks("email")).extracting(Notice::channel, Notice::standsInFor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("email", "slack"));
    }

    @Test
    void aFallbackDeliveryAlsoSettlesTheFallbacksOwnShare() {
        state.failed(facts("a"), BOTH);
        AlertPlanner planner = planner(Optional.of("email"), Duration.ZERO);
        // both channels failed in this round; the fallback tries email again, on Slack's behalf
        everyChannel(channel -> planner.alerts(planner.unannounced(channel), channel)).forEach(planner::notDelivered);

        List<Notice> fallbacks = planner.fallbacks("email");
        assertThat(fallbacks).extracting(Notice::channel, Notice::standsInFor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("email", "slack"));
        fallbacks.forEach(planner::delivered);

        assertThat(record("a").unsettledTargets()).as("email's own alert is the same message").isEmpty();
        assertThat(everyChannel(channel -> planner.alerts(planner.unannounced(channel), channel))).isEmpty();
    }

    @Test
    void theResolvedNoticeFollowsTheAlertToTheFallbackChannel() {
        state.failed(facts("a"), new Routing(List.of("slack"), "default", "ops@example.com"));
        AlertPlanner planner = planner(Optional.of("email"), Duration.ZERO);
        planner.alerts(planner.unannounced("slack"), "slack").forEach(planner::notDelivered);
        planner.fallbacks("email").forEach(planner::delivered);
        state.succeeded("a", "task-a2", "IMPORT_TMX", null);

        List<Notice> resolved = everyChannel(planner::resolvedNotices);

        assertThat(resolved).extracting(Notice::kind, Notice::channel, Notice::destination)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Notice.Kind.RESOLVED, "email", "ops@example.com"));
        resolved.forEach(planner::delivered);
        assertThat(state.openFailures()).isEmpty();
    }
}
