package io.github.phrasetmmonitor.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a silence matches, when a window is on, the silences file's mistakes, and ad-hoc silences kept in the state. */
class SilencesUnitTest {

    @TempDir
    Path dir;

    private static final Instant SATURDAY_NOON = Instant.parse("2026-12-12T12:00:00Z");

    @Test
    void everythingNeverHidesTheMonitorsOwnCredentialsOrPhraseOutageUnlessItNamesThem() {
        SilenceMatcher everything = SilenceMatcher.EVERYTHING;
        assertThat(everything.matches("tm1", "Legal", "task-failed")).isTrue();
        assertThat(everything.matches(null, null, "tm-failing")).isTrue();
        assertThat(everything.matches(null, null, "credentials")).isFalse();
        assertThat(everything.matches(null, null, "phrase-unavailable")).isFalse();
        assertThat(new SilenceMatcher(null, null, Set.of("problem")).matches(null, null, "phrase-unavailable"))
                .as("every problem is not naming the outage").isFalse();
        assertThat(new SilenceMatcher(null, null, Set.of("phrase-unavailable"))
                .matches(null, null, "phrase-unavailable")).isTrue();
    }

    @Test
    void aTmIsMatchedByItsUidOrANamePatternAndKindsNarrowIt() {
        SilenceMatcher legal = SilenceMatcher.parse(List.of("tm-name=Legal *", "kind=task-failed,task-stuck"));
        assertThat(legal.matches("u1", "legal EN-DE", "task-failed")).isTrue();
        assertThat(legal.matches("u1", "Legal EN-DE", "task-stuck")).isTrue();
        assertThat(legal.matches("u1", "Marketing", "task-failed")).isFalse();
        assertThat(legal.matches("u1", "Legal EN-DE", "tm-not-found")).isFalse();
        SilenceMatcher uid = SilenceMatcher.parse(List.of("tm=u1"));
        assertThat(uid.matches("u1", "x", "tm-failing")).isTrue();
        assertThat(uid.matches("u2", "x", "task-failed")).isFalse();
        assertThat(legal.describe()).isEqualTo("tm-name=Legal * kind=task-failed,task-stuck");
        assertThatThrownBy(() -> SilenceMatcher.parse(List.of())).hasMessageContaining("say what to silence");
        assertThatThrownBy(() -> SilenceMatcher.parse(List.of("kind=broken")))
                .hasMessageContaining("kind 'broken' is not one of task-failed, task-stuck, problem");
    }

    @Test
    void aWeeklyWindowOverMidnightIsOnInItsOwnTimeZone() {
        MaintenanceWindow window = MaintenanceWindow.weekly("nightly", 1, SilenceMatcher.EVERYTHING,
                ZoneId.of("Europe/Berlin"), Set.of(DayOfWeek.SATURDAY), LocalTime.of(23, 0), LocalTime.of(2, 0));
        // Saturday 23:30 in Berlin is 22:30 UTC
        assertThat(window.activeAt(Instant.parse("2026-12-12T22:30:00Z"))).isTrue();
        assertThat(window.endOfActive(Instant.parse("2026-12-12T22:30:00Z")))
                .contains(Instant.parse("2026-12-13T01:00:00Z"));
        assertThat(window.activeAt(Instant.parse("2026-12-13T00:59:00Z"))).as("Sunday 01:59 Berlin").isTrue();
        assertThat(window.activeAt(Instant.parse("2026-12-13T01:00:00Z"))).isFalse();
        assertThat(window.activeAt(Instant.parse("2026-12-12T21:59:00Z"))).as("Saturday 22:59 Berlin").isFalse();
        assertThat(window.activeAt(Instant.parse("2026-12-13T22:30:00Z"))).as("not on Sundays").isFalse();
        assertThat(window.nextStart(SATURDAY_NOON)).contains(Instant.parse("2026-12-12T22:00:00Z"));
        assertThat(window.schedule()).isEqualTo("every Sat 23:00-02:00 Europe/Berlin");
    }

    @Test
    void aOneOffWindowIsOnFromItsStartUntilItsEnd() {
        MaintenanceWindow window = MaintenanceWindow.once("migration", 1, SilenceMatcher.EVERYTHING, ZoneId.of("UTC"),
                LocalDateTime.parse("2026-12-12T10:00"), LocalDateTime.parse("2026-12-12T14:00"));
        assertThat(window.activeAt(SATURDAY_NOON)).isTrue();
        assertThat(window.activeAt(Instant.parse("2026-12-12T14:00:00Z"))).isFalse();
        assertThat(window.isOver(Instant.parse("2026-12-12T14:00:00Z"))).isTrue();
    }

    @Test
    void theSilencesFileIsReadAndEachMistakeNamesTheFileAndLine() throws Exception {
        Path good = dir.resolve("silences.yaml");
        Files.writeString(good, """
                windows:
                  - name: phrase-maintenance
                    match:
                      kind: [phrase-unavailable, task-failed]
                    from: 2026-12-12T22:00
                    until: 2026-12-13T02:00
                    time-zone: Europe/Berlin
                  - name: weekend-archive
                    match: {tm-name: "Archive *"}
                    weekdays: [SAT-SUN]
                    from: "01:00"
                    until: "24:00"
                """);
        List<MaintenanceWindow> windows = SilencesFile.read(good);
        assertThat(windows).extracting(MaintenanceWindow::name).containsExactly("phrase-maintenance",
                "weekend-archive");
        assertThat(windows.get(0).matcher().matches(null, null, "phrase-unavailable")).isTrue();
        assertThat(windows.get(1).days()).containsExactlyInAnyOrder(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(SilencesFile.read(dir.resolve("absent.yaml"))).as("no file, no windows").isEmpty();

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                windows:
                  - name: one
                    match: everything
                    from: 2026-12-12T22:00
                    until: tomorrow
                  - name: two
                    match: {kind: broken}
                    weekdays: [SAT]
                    from: "01:00"
                    until: "05:00"
                    colour: red
                """);
        assertThat(SilencesFile.problems(bad)).containsExactly(
                bad + ":5: window 'one': 'until' tomorrow is not a date-time such as 2026-12-12T22:00 (or add"
                        + " weekdays for a weekly window)",
                bad + ":7: window 'two': kind 'broken' is not one of " + SilenceMatcher.knownKinds(),
                bad + ":11: 'colour' is unknown in a maintenance window; it may have from, match, name, time-zone,"
                        + " until, weekdays");
        Path notYaml = dir.resolve("not.yaml");
        Files.writeString(notYaml, "windows:\n  - name: [unclosed\n");
        assertThat(SilencesFile.problems(notYaml)).singleElement().asString()
                .startsWith(notYaml + ":3: not YAML");
        assertThatThrownBy(() -> SilencesFile.read(bad)).isInstanceOf(InvalidSilencesException.class);
    }

    @Test
    void anAdHocSilenceSurvivesARestartAndItsExpiryToo() {
        ManualClock clock = new ManualClock(SATURDAY_NOON);
        SilenceJournal before = new SilenceJournal(dir);
        before.add(new Silence("abc123", SilenceMatcher.parse(List.of("tm=u1")), SATURDAY_NOON,
                SATURDAY_NOON.plus(Duration.ofHours(2)), "alice", "migrating u1", SATURDAY_NOON, null));

        Silences restarted = new Silences(List.of(), new SilenceJournal(dir), Silences.AfterSilence.TELL, clock);
        assertThat(restarted.silencing("u1", "x", "task-failed", SATURDAY_NOON))
                .contains(new Silences.Silencing("silence abc123", SATURDAY_NOON.plus(Duration.ofHours(2))));
        assertThat(restarted.silencing("u2", "x", "task-failed", SATURDAY_NOON)).isEmpty();

        before.expire("abc123", SATURDAY_NOON.plus(Duration.ofMinutes(30)));
        Silences again = new Silences(List.of(), new SilenceJournal(dir), Silences.AfterSilence.TELL, clock);
        assertThat(again.silencing("u1", "x", "task-failed", SATURDAY_NOON.plus(Duration.ofMinutes(31)))).isEmpty();
        assertThat(again.adHoc()).singleElement().satisfies(silence -> assertThat(silence.expiredAt()).isNotNull());
    }

    @Test
    void aRunningMonitorSeesASilenceTheCommandAddedBesideIt() {
        ManualClock clock = new ManualClock(SATURDAY_NOON);
        Silences running = new Silences(List.of(), new SilenceJournal(dir), Silences.AfterSilence.TELL, clock);
        assertThat(running.silencing("u1", "x", "task-failed", SATURDAY_NOON)).isEmpty();

        new SilenceJournal(dir).add(new Silence("def456", SilenceMatcher.EVERYTHING, SATURDAY_NOON,
                SATURDAY_NOON.plus(Duration.ofHours(1)), "bob", "announced maintenance", SATURDAY_NOON, null));

        await().atMost(Duration.ofSeconds(5)).until(() ->
                running.silencing("u1", "x", "task-failed", SATURDAY_NOON).isPresent());
    }
}
