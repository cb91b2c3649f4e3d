package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static io.github.phrasetmmonitor.support.PhraseDocuments.runningSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.StateFile;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 4: a task still RUNNING after monitor.stuck-after is an incident of its own, alerted once, resolved
 * when it finishes or a newer task appears, told in one digest in a storm, routed with incidentKind task-stuck, and
 * nothing at all while the setting is off (the default).
 */
class StuckTaskTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @TempDir
    Path opsDir;

    /** Started three hours ago: past a stuck-after of 2h. Phrase's status string for it is its own business. */
    final Instant threeHoursAgo = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmSlow", "Big import EN-DE")
                .lastTask("tmSlow", runningSince("task-9", threeHoursAgo, "PROCESSING"));
    }

    private Map<String, String> settings(String tmUids) {
        Map<String, String> settings = bed.settingsWatching(tmUids);
        settings.put("monitor.stuck-after", "2h");
        return settings;
    }

    @Test
    void aTaskRunningPastStuckAfterGivesOneAlertAndWhenItFinishesOneResolvedNotice() throws Exception {
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings("tmSlow"))) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(bed.slack().posts()).as("alerted once, not every round").hasSize(1);
            assertThat(bed.smtp().getReceivedMessages()).hasSize(1);

            assertThat(bed.slack().posts().get(0)).contains("Phrase TM task stuck", "Big import EN-DE", "tmSlow",
                    "task-9", "Still running", "monitor.stuck-after").doesNotContain("failed");
            MimeMessage alert = bed.smtp().getReceivedMessages()[0];
            assertThat(alert.getSubject()).isEqualTo("[Phrase TM] IMPORT_TMX still running: Big import EN-DE");
            assertThat(Mails.text(alert)).contains("running longer than monitor.stuck-after", "task-9", "Started:")
                    .doesNotContain("failed.");
            assertThat(Mails.html(alert)).contains("still running", "task-9").doesNotContain("Error code");
            assertThat(logs.linesContaining("still running after monitor.stuck-after (2h): alerted as stuck"))
                    .as("told once in the log").hasSize(1);
            // a slow machine may skip a round's check that overlaps the last one; a check that failed is a bug
            assertThat(logs.linesContaining("skipped this round"))
                    .filteredOn(line -> !line.contains("its check from an earlier round is still running"))
                    .as("the check itself went well").isEmpty();

            bed.phrase().lastTask("tmSlow", ok("task-9"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 2 && bed.smtp().getReceivedMessages().length == 2);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).hasSize(2);
        assertThat(bed.slack().posts().get(1)).contains("Resolved", "no longer stuck", "tmSlow", "task-9", "finished");
        MimeMessage resolved = bed.smtp().getReceivedMessages()[1];
        assertThat(resolved.getSubject()).isEqualTo("[Phrase TM] Resolved: no longer stuck: Big import EN-DE");
        assertThat(Mails.text(resolved)).contains("it finished", "task-9");
        assertThat(bed.smtp().getReceivedMessages()).hasSize(2);
        assertThat(Files.readString(StateFile.journal(bed.stateDir()))).as("the stuck task is closed")
                .contains("\"closed\":{\"tmUid\":\"tmSlow\",\"taskId\":\"task-9\",\"stuck\":true}");
    }

    @Test
    void aStuckTaskIsRemindedWhileItRunsAndNotAfterItEnds() throws Exception {
        Map<String, String> settings = settings("tmSlow");
        settings.put("alert.channels", "slack");
        settings.put("alert.repeat-interval", "2s");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().stream()
                    .anyMatch(post -> post.contains("Reminder: Phrase TM task stuck")));
            bed.phrase().lastTask("tmSlow", ok("task-9"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().stream()
                    .anyMatch(post -> post.contains("no longer stuck")));
            int posts = bed.slack().posts().size();
            assertThat(monitor.awaitRounds(4, 30)).isTrue();
            assertThat(bed.slack().posts()).as("no reminder after the end").hasSize(posts);
        }
        assertThat(bed.slack().posts().get(0)).contains("Phrase TM task stuck").doesNotContain("Reminder");
        assertThat(bed.slack().posts()).filteredOn(post -> post.contains("Reminder"))
                .allSatisfy(post -> assertThat(post).contains("Still running; first alerted", "task-9"));
    }

    @Test
    void aStuckTaskThatFailsIsResolvedAndItsFailureAlertedOnItsOwn() throws Exception {
        Map<String, String> settings = settings("tmSlow");
        settings.put("alert.channels", "slack");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            bed.phrase().lastTask("tmSlow", failed("task-9", "TMX broken"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 3);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        List<String> posts = bed.slack().posts();
        assertThat(posts).hasSize(3);
        assertThat(posts.get(0)).contains("Phrase TM task stuck", "task-9");
        assertThat(posts.subList(1, 3)).as("the stuck task's end, and its failure as a failure")
                .anySatisfy(post -> assertThat(post).contains("no longer stuck", "task-9"))
                .anySatisfy(post -> assertThat(post).contains("Phrase TM task failed", "task-9", "TMX broken"));
    }

    @Test
    void aNewerTaskEndsAStuckOneAndIsNotStuckItself() throws Exception {
        Map<String, String> settings = settings("tmSlow");
        settings.put("alert.channels", "slack");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            bed.phrase().lastTask("tmSlow", runningSince("task-10", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    "RUNNING"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 2);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).hasSize(2);
        assertThat(bed.slack().posts().get(1)).contains("no longer stuck", "task-10", "task-9")
                .contains("followed stuck task task-9");
    }

    @Test
    void aStormOfStuckTasksIsOneDigestPerChannelAndTheirEndOneMore() throws Exception {
        List<String> uids = IntStream.rangeClosed(1, 8).mapToObj(i -> "tmSlow" + i).toList();
        for (int i = 1; i <= 8; i++) {
            bed.phrase().translationMemory("tmSlow" + i, "Slow " + i + " EN-DE")
                    .lastTask("tmSlow" + i, runningSince("task-s" + i, threeHoursAgo, "RUNNING"));
        }
        try (RunningMonitor monitor = RunningMonitor.start(settings(String.join(",", uids)))) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(bed.slack().posts()).hasSize(1);
            assertThat(bed.smtp().getReceivedMessages()).hasSize(1);
            String digest = bed.slack().posts().get(0);
            assertThat(digest).contains("8 tasks stuck").doesNotContain("failed");
            MimeMessage mail = bed.smtp().getReceivedMessages()[0];
            assertThat(mail.getSubject()).isEqualTo("[Phrase TM] 8 tasks still running");
            for (String uid : uids) {
                assertThat(digest).contains(uid);
                assertThat(Mails.text(mail)).contains(uid);
            }

            for (int i = 1; i <= 8; i++) {
                bed.phrase().lastTask("tmSlow" + i, ok("task-s" + i));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 2 && bed.smtp().getReceivedMessages().length == 2);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).hasSize(2);
        assertThat(bed.slack().posts().get(1)).contains("8 stuck tasks ended");
        assertThat(bed.smtp().getReceivedMessages()).hasSize(2);
        assertThat(bed.smtp().getReceivedMessages()[1].getSubject())
                .isEqualTo("[Phrase TM] Resolved: 8 stuck tasks ended");
    }

    @Test
    void offByDefaultARunningTaskIsNeverAlertedHoweverOld() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tmSlow");
        assertThat(settings).doesNotContainKey("monitor.stuck-after");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            assertThat(monitor.awaitRounds(4, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).isEmpty();
        assertThat(bed.smtp().getReceivedMessages()).isEmpty();
    }

    @Test
    void aRoutingRuleOnIncidentKindTaskStuckSendsStuckTasksElsewhere() throws Exception {
        bed.phrase().translationMemory("tmBroken", "Broken EN-DE")
                .lastTask("tmBroken", failed("task-b", "TMX broken"));
        Path routes = Files.createDirectories(opsDir.resolve("routes"));
        try (var shipped = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
            for (Path route : shipped) {
                Files.copy(route, routes.resolve(route.getFileName()));
            }
        }
        Path rules = routes.resolve("alert-routing.camel.yaml");
        String marker = "        # your routing rules: a choice here (see the example above)\n";
        String shipped = Files.readString(rules);
        assertThat(shipped).contains(marker);
        Files.writeString(rules, shipped.replace(marker, """
                        - choice:
                            when:
                              - simple: "${variable.incidentKind} == 'task-stuck'"
                                steps:
                                  - setVariable:
                                      name: alertChannels
                                      constant: email
                                  - setVariable:
                                      name: emailTo
                                      constant: "oncall@example.com"
                """));
        Map<String, String> settings = settings("tmSlow,tmBroken");
        settings.put("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/*.camel.yaml");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 2);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).as("the stuck task is not on Slack").singleElement().asString()
                .contains("Broken EN-DE").doesNotContain("tmSlow");
        MimeMessage stuck = Arrays.stream(bed.smtp().getReceivedMessages())
                .filter(mail -> MonitorTestBed.subject(mail).contains("still running")).findFirst().orElseThrow();
        assertThat(Arrays.stream(stuck.getAllRecipients()).map(Object::toString)).containsExactly("oncall@example.com");
        MimeMessage failure = Arrays.stream(bed.smtp().getReceivedMessages())
                .filter(mail -> MonitorTestBed.subject(mail).contains("failed")).findFirst().orElseThrow();
        assertThat(Arrays.stream(failure.getAllRecipients()).map(Object::toString))
                .containsExactly("l10n-ops@example.com");
    }
}
