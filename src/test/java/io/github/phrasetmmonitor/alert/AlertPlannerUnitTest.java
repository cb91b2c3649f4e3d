package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.state.IncidentKey;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is due when: digests per destination, reminders per interval, fallbacks that never send twice. */
class AlertPlannerUnitTest {

    private static final Routing BOTH = new Routing(List.of("slack", "email"), java.util.Map.of("slack", "default", "email", "ops@example.com"));
    private static final Routing LEGAL = new Routing(List.of("slack", "email"), java.util.Map.of("slack", "legal", "email", "legal@example.com"));

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-06T07:00:00Z"));
    private IncidentState state;

    @BeforeEach
    void start() {
        state = new IncidentState(dir.resolve(IncidentState.JOURNAL), clock, true, java.util.Map.of("slack", "default", "email", "ops@example.com"));
        state.start();
    }

    @AfterEach
    void stop() {
        state.stop();
    }

    private AlertPlanner planner(Optional<String> fallback, Duration repeat) {
        return new AlertPlanner(state, AlertTestData.channels(), fallback, repeat, 5, RoundUnderWay.NONE);
    }

    private static FailureFacts facts(String tm) {
        return new FailureFacts("Name " + tm, tm, "task-" + tm, "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(),
                null);
    }

    /** What each channel's delivery thread would find due, Slack's then email's. */
    private static List<Notice> everyChannel(java.util.function.Function<String, List<Notice>> due) {
        return java.util.stream.Stream.of("slack", "email").flatMap(channel -> due.apply(channel).stream()).toList();
    }

    private Incident record(String tm) {
        return state.find(tm, "task-" + tm).orElseThrow();
    }

    @Test
    void digestsGoOnePerChannelAndDestination() {
        state.failed(facts("a"), BOTH);
        state.failed(facts("b"), BOTH);
        state.failed(facts("c"), LEGAL);
        AlertPlanner planner = new AlertPlanner(state, AlertTestData.channels(), Optional.empty(), Duration.ZERO, 1,
                RoundUnderWay.NONE);

        List<Notice> slack = planner.announcements("slack");
        List<Notice> email = planner.announcements("email");
        assertThat(slack).extracting(Notice::kind).containsOnly(Notice.Kind.DIGEST);

        assertThat(slack).extracting(Notice::channel, Notice::destination, notice -> notice.incidents().size())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("slack", "default", 2),
                        org.assertj.core.groups.Tuple.tuple("slack", "legal", 1));
        assertThat(email).extracting(Notice::channel, Notice::destination, notice -> notice.incidents().size())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("email", "ops@example.com", 2),
                        org.assertj.core.groups.Tuple.tuple("email", "legal@example.com", 1));
    }

    @Test
    void remindersComeOncePerIntervalOnTheCarriers() {
        state.failed(facts("a"), BOTH);
        AlertPlanner planner = planner(Optional.empty(), Duration.ofHours(24));
        planner.announcements("slack").forEach(planner::delivered);

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
            state.failed(facts(tm), new Routing(List.of("slack"), java.util.Map.of("slack", "default", "email", "ops@example.com")));
        }
        AlertPlanner planner = planner(Optional.empty(), Duration.ofHours(1));
        planner.announcements("slack").forEach(planner::delivered);
        clock.advance(Duration.ofHours(1));

        List<Notice> reminders = everyChannel(planner::reminders);

        assertThat(reminders).singleElement().satisfies(notice -> {
            assertThat(notice.kind()).isEqualTo(Notice.Kind.REMINDER);
            assertThat(notice.incidents()).hasSize(6);
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
        planner.announcements("email").forEach(planner::delivered);
        planner.announcements("slack").forEach(planner::notDelivered); // Slack failed, email took it

        assertThat(planner.needsFallback("slack")).as("covered at once: email's people have it").isFalse();
        assertThat(planner.fallbacks("email")).isEmpty();
        assertThat(record("a").unsettledTargets()).isEmpty();
        assertThat(record("a").carriers()).containsExactly("email");
    }

    @Test
    void aChannelThatHasNotTriedYetIsNotStoodInFor() {
        state.failed(facts("a"), new Routing(List.of("slack"), java.util.Map.of("slack", "default", "email", "ops@example.com")));
        AlertPlanner planner = planner(Optional.of("email"), Duration.ZERO);

        assertThat(planner.needsFallback("slack")).isFalse();
        assertThat(planner.fallbacks("email")).as("Slack may just be slow; it has not given up").isEmpty();
        planner.announcements("slack").forEach(planner::notDelivered);
        assertThat(planner.fallbacks("slack")).as("only the fallback channel stands in").isEmpty();
        assertThat(planner.fallbacks("email")).extracting(Notice::channel, Notice::standsInFor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("email", "slack"));
    }

    @Test
    void aFallbackDeliveryAlsoSettlesTheFallbacksOwnShare() {
        state.failed(facts("a"), BOTH);
        AlertPlanner planner = planner(Optional.of("email"), Duration.ZERO);
        // both channels failed in this round; the fallback tries email again, on Slack's behalf
        everyChannel(channel -> planner.announcements(channel)).forEach(planner::notDelivered);

        List<Notice> fallbacks = planner.fallbacks("email");
        assertThat(fallbacks).extracting(Notice::channel, Notice::standsInFor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("email", "slack"));
        fallbacks.forEach(planner::delivered);

        assertThat(record("a").unsettledTargets()).as("email's own alert is the same message").isEmpty();
        assertThat(everyChannel(channel -> planner.announcements(channel))).isEmpty();
    }

    @Test
    void theResolvedNoticeFollowsTheAlertToTheFallbackChannel() {
        state.failed(facts("a"), new Routing(List.of("slack"), java.util.Map.of("slack", "default", "email", "ops@example.com")));
        AlertPlanner planner = planner(Optional.of("email"), Duration.ZERO);
        planner.announcements("slack").forEach(planner::notDelivered);
        planner.fallbacks("email").forEach(planner::delivered);
        state.succeeded("a", "task-a2", "IMPORT_TMX", null);

        List<Notice> resolved = everyChannel(planner::resolvedNotices);

        assertThat(resolved).extracting(Notice::kind, Notice::channel, Notice::destination)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Notice.Kind.RESOLVED, "email", "ops@example.com"));
        resolved.forEach(planner::delivered);
        assertThat(state.openIncidents()).isEmpty();
    }

    @Test
    void resolvedNoticesOfMoreFailuresThanTheThresholdComeAsOneList() {
        List<String> tms = List.of("a", "b", "c", "d", "e", "f");
        tms.forEach(tm -> state.failed(facts(tm), BOTH));
        AlertPlanner planner = planner(Optional.empty(), Duration.ZERO);
        everyChannel(planner::announcements).forEach(planner::delivered);
        tms.forEach(tm -> state.succeeded(tm, "task-" + tm + "2", "IMPORT_TMX", null));

        List<Notice> resolved = everyChannel(planner::resolvedNotices);

        assertThat(resolved).extracting(Notice::kind, Notice::channel, notice -> notice.incidents().size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Notice.Kind.RESOLVED, "slack", 6),
                        org.assertj.core.groups.Tuple.tuple(Notice.Kind.RESOLVED, "email", 6));
        assertThat(resolved.get(0).summary()).isEqualTo("resolved notice of 6 failed tasks");
        assertThat(new EmailAlertComposer(AlertTestData.shippedTemplates()).subject(resolved.get(1)))
                .isEqualTo("[Phrase TM] Resolved: 6 failed tasks");
        resolved.forEach(planner::delivered);
        assertThat(state.openIncidents()).isEmpty();
    }

    @Test
    void whatARoundFindsIsAnnouncedWhenItEndsSoAPassInTheMiddleDoesNotSplitAStorm() {
        state.failed(facts("before"), BOTH);
        clock.advance(Duration.ofSeconds(1));
        Instant roundStarted = clock.instant();
        java.util.Set<String> foundByTheRound = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean underWay = new java.util.concurrent.atomic.AtomicBoolean(true);
        RoundUnderWay round = new RoundUnderWay() {
            @Override
            public void found(org.apache.camel.Exchange check, String tmUid) {
                foundByTheRound.add(tmUid);
            }

            @Override
            public java.util.function.BiPredicate<String, Instant> held() {
                boolean held = underWay.get();
                return (tmUid, at) -> held && foundByTheRound.contains(tmUid) && !at.isBefore(roundStarted);
            }
        };
        AlertPlanner planner = new AlertPlanner(state, AlertTestData.channels(), Optional.empty(), Duration.ZERO, 5,
                round);
        List<String> storm = List.of("a", "b", "c", "d", "e", "f");
        state.failed(facts("a"), BOTH);
        round.found(null, "a");

        // a pass while the round is under way (the problem check woke the channels): what came before goes out
        List<Notice> during = planner.announcements("slack");
        assertThat(during).extracting(Notice::kind).containsExactly(Notice.Kind.ALERT);
        assertThat(during.get(0).incidents()).extracting(Incident::tmUid).containsExactly("before");
        during.forEach(planner::delivered);

        storm.stream().skip(1).forEach(tm -> {
            state.failed(facts(tm), BOTH);
            round.found(null, tm);
        });
        underWay.set(false);
        assertThat(planner.announcements("slack")).as("the round's six failures, in one digest once it ended")
                .singleElement().satisfies(digest -> {
                    assertThat(digest.kind()).isEqualTo(Notice.Kind.DIGEST);
                    assertThat(digest.incidents()).extracting(Incident::tmUid)
                            .containsExactlyInAnyOrderElementsOf(storm);
                });
    }

    @Test
    void failedTasksAndProblemsAreNeverInOneNoticeAndEachKindHasItsOwnThreshold() {
        state.failed(facts("a"), BOTH);
        for (int i = 0; i < 6; i++) {
            state.problemHolds(new io.github.phrasetmmonitor.state.ProblemFacts("tm-not-found:x" + i, "x" + i, null,
                    "TM x" + i, "gone", clock.instant(), "HTTP 404"));
        }
        state.unrouted().forEach(problem -> state.routed(problem.key(), BOTH));
        AlertPlanner planner = planner(Optional.empty(), Duration.ZERO);

        assertThat(planner.announcements("slack")).extracting(Notice::kind, Notice::isAboutProblem,
                notice -> notice.incidents().size()).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.ALERT, false, 1),
                org.assertj.core.groups.Tuple.tuple(Notice.Kind.DIGEST, true, 6));
    }

    @Test
    void planningRecordsNothing() throws Exception {
        state.failed(facts("a"), BOTH);
        AlertPlanner planner = planner(Optional.of("email"), Duration.ofHours(1));
        planner.announcements("slack").forEach(planner::notDelivered);
        String before = java.nio.file.Files.readString(state.journal());

        for (String channel : List.of("slack", "email")) {
            planner.announcements(channel);
            planner.reminders(channel);
            planner.resolvedNotices(channel);
            planner.fallbacks(channel);
            planner.needsFallback(channel);
        }

        assertThat(java.nio.file.Files.readString(state.journal())).isEqualTo(before);
    }

    @Test
    void whenTheFallbackChannelTakesItsOwnAlertTheChannelThatGaveUpIsCovered() {
        state.failed(facts("a"), BOTH);
        AlertPlanner planner = planner(Optional.of("email"), Duration.ZERO);
        planner.announcements("slack").forEach(planner::notDelivered); // Slack gave up before email tried
        assertThat(planner.needsFallback("slack")).isTrue();

        planner.announcements("email").forEach(planner::delivered); // email's own alert

        assertThat(planner.fallbacks("email")).as("email's people have it: no second message").isEmpty();
        assertThat(planner.needsFallback("slack")).isFalse();
        assertThat(record("a").unsettledTargets()).isEmpty();
        assertThat(record("a").alerted().get("slack").via()).isEqualTo("email");
    }

    // --- recipient by recipient (email) -------------------------------------------------------------------------

    private static final String OPS = "ops@example.com";
    private static final String TYPO = "typo@example.invalid";
    private static final String LEAD = "lead@example.com";
    private static final Routing TEAM = new Routing(List.of("email"),
            java.util.Map.of("slack", "default", "email", String.join(",", OPS, TYPO, LEAD)));

    private final RefusedRecipients refused = new RefusedRecipients();

    /** A planner whose email channel knows the addresses {@link #refused} holds. */
    private AlertPlanner recipientPlanner(Optional<String> fallback, Duration repeat) {
        return new AlertPlanner(state, java.util.Map.of("slack", new SlackChannel(), "email",
                new EmailChannel(OPS, refused)), fallback, repeat, 5, RoundUnderWay.NONE);
    }

    @Test
    void whoTookANoticeAndWhoIsRefusedForGoodAreLeftOutOfItsNextAttemptsNotOfTheNextNotice() {
        state.failed(facts("a"), TEAM);
        AlertPlanner planner = recipientPlanner(Optional.empty(), Duration.ofHours(24));
        Notice alert = planner.announcements("email").get(0);
        assertThat(alert.destination()).isEqualTo(String.join(",", OPS, TYPO, LEAD));

        planner.partlyDelivered(alert, java.util.Set.of(OPS));
        refused.refuse(TYPO, "554 5.7.1 Relay access denied");
        assertThat(planner.announcements("email")).extracting(Notice::destination).containsExactly(LEAD);
        assertThat(record("a").carriers()).as("some of email's people have it").containsExactly("email");

        planner.announcements("email").forEach(planner::delivered);
        assertThat(planner.announcements("email")).as("everyone the server takes has it").isEmpty();
        assertThat(record("a").took("email", Incident.Stage.ALERT)).isEmpty();

        clock.advance(Duration.ofHours(24));
        assertThat(planner.reminders("email")).extracting(Notice::destination)
                .as("the reminder is a new notice, for everyone still reachable").containsExactly(OPS + "," + LEAD);
    }

    @Test
    void aFailureResolvedWhileSomeRecipientsLackItsAlertOwesTheResolvedNoticeToAll() {
        state.failed(facts("a"), TEAM);
        AlertPlanner planner = recipientPlanner(Optional.empty(), Duration.ZERO);
        planner.partlyDelivered(planner.announcements("email").get(0), java.util.Set.of(OPS, LEAD));
        state.succeeded("a", "task-a2", "IMPORT_TMX", null);

        assertThat(planner.announcements("email")).as("no alert for what is fixed").isEmpty();
        assertThat(planner.resolvedNotices("email")).extracting(Notice::destination)
                .containsExactly(String.join(",", OPS, TYPO, LEAD));
    }

    @Test
    void whenTheServerRefusedEveryRecipientForGoodNothingIsDueThereAndTheFallbackStandsIn() {
        Routing typoOnly = new Routing(List.of("email"), java.util.Map.of("slack", "default", "email", TYPO));
        state.failed(facts("a"), typoOnly);
        AlertPlanner planner = recipientPlanner(Optional.of("slack"), Duration.ZERO);
        Notice alert = planner.announcements("email").get(0);
        refused.refuse(TYPO, "554 5.7.1 Relay access denied");

        assertThat(planner.announcements("email")).isEmpty();
        assertThat(planner.fallbacks("slack")).extracting(Notice::channel, Notice::standsInFor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("slack", "email"));
        assertThat(planner.afterFailure(alert)).isEqualTo("handed to alert.fallback-channel slack");
        assertThat(recipientPlanner(Optional.empty(), Duration.ZERO).afterFailure(alert))
                .isEqualTo("not tried again until the settings change or the monitor restarts");
    }

    @Test
    void aNoticeSomeRecipientsTookIsNotHandedToTheFallbackTheOthersGetItLater() {
        state.failed(facts("a"), TEAM);
        AlertPlanner planner = recipientPlanner(Optional.of("slack"), Duration.ZERO);
        Notice alert = planner.announcements("email").get(0);
        assertThat(planner.afterFailure(alert)).isEqualTo("handed to alert.fallback-channel slack");

        planner.partlyDelivered(alert, java.util.Set.of(OPS));
        planner.notDelivered(alert);

        assertThat(planner.afterFailure(alert)).isEqualTo("tried again at the next round");
        assertThat(planner.fallbacks("slack")).isEmpty();
        assertThat(planner.announcements("email")).extracting(Notice::destination)
                .containsExactly(TYPO + "," + LEAD);
    }
}
