package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.ScriptedSmtpServer;
import io.github.phrasetmmonitor.support.StateFile;
import io.github.phrasetmmonitor.tools.OperatorTools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Why didn't I get alerted?": after a storm with a digest, a refused recipient and a maintenance window over one of
 * its TMs, {@code history <tm-uid>} names
 * every notice sent and every one held back with its reason, GET /observe/history says the same, and both still do
 * after the incident is resolved and the monitor restarted. A notice held back pass after pass writes one line.
 */
class HistoryTest {

    private static final String OPS = "ops@example.com";
    private static final String TYPO = "typo@unknown-domain.invalid";
    private static final String SILENCED = "tmMigrating";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    final List<String> uids = IntStream.rangeClosed(1, 8).mapToObj(i -> "tmStorm" + i).toList();

    private record Run(int exitCode, String out, String err) {
        /** The decision lines, without the heading. */
        List<String> decisions() {
            return out.lines().filter(line -> line.startsWith("  ")).map(String::trim).toList();
        }
    }

    private static Run history(Map<String, String> settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> command = new ArrayList<>(List.of("history"));
        command.addAll(List.of(args));
        int code = new OperatorTools(Path.of(""), settings).run(command.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> jsonLines(RunningMonitor monitor, String query) throws Exception {
        Management.Answer answer = Management.get(monitor.managementUrl() + "/history?" + query);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode root = new ObjectMapper().readTree(answer.body());
        assertThat(root.get("truncated").asBoolean()).isFalse();
        List<String> lines = new ArrayList<>();
        root.get("entries").forEach(entry -> lines.add(entry.get("line").asText()));
        return lines;
    }

    @TempDir
    Path opsDir;

    @Test
    void afterAStormWithADigestARefusedRecipientAndASilenceHistoryNamesEveryNoticeSentAndHeldBack()
            throws Exception {
        for (String uid : uids) {
            bed.phrase().translationMemory(uid, "Storm " + uid).lastTask(uid, failed("task-" + uid, "broken"));
        }
        // the ninth TM of the storm is being migrated: a maintenance window holds its notices back
        bed.phrase().translationMemory(SILENCED, "Storm " + SILENCED).lastTask(SILENCED, failed("task-" + SILENCED,
                "broken"));
        Path silences = opsDir.resolve("silences.yaml");
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        Files.writeString(silences, String.join("\n", "windows:", "  - name: migration",
                "    match: {tm: " + SILENCED + "}", "    from: " + now.minusHours(1), "    until: " + now.plusHours(1),
                "    time-zone: UTC", ""));
        bed.phrase().loginIssues("token-1");
        try (ScriptedSmtpServer mail = new ScriptedSmtpServer(0, "unused")
                .refuseRecipient(TYPO, -1, "550 5.1.1 <" + TYPO + ">: Recipient address rejected: User unknown")) {
            List<String> watched = new ArrayList<>(uids);
            watched.add(SILENCED);
            Map<String, String> settings = bed.settingsWatching(String.join(",", watched), mail.port());
            settings.put("monitor.silences-file", silences.toString());
            // one round finds the storm (with the 1 s cron, a round slowed by a loaded machine splits it)
            settings.put("monitor.cron", "0/5 * * * * ?");
            settings.put("alert.channels", "slack,email");
            settings.put("alert.email.to", OPS + "," + TYPO);
            List<String> whileRunning;
            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1
                        && StateFile.deliveredAlerts(bed.stateDir()).size() == 16);
                assertThat(monitor.awaitRounds(2, 30)).isTrue();

                for (String uid : uids) {
                    Run run = history(settings, uid);
                    assertThat(run.exitCode()).as(run.err()).isZero();
                    assertThat(run.decisions()).as("history " + uid)
                            .anySatisfy(line -> assertThat(line).contains("TM " + uid + " task task-" + uid,
                                    "sent digest on slack to default: digested (one message listing 8"))
                            .anySatisfy(line -> assertThat(line).contains("sent digest on email to " + OPS
                                    + ": digested"))
                            .anySatisfy(line -> assertThat(line).contains("held back digest on email to " + TYPO
                                    + ": refused recipient (refused for good by the server"))
                            .noneMatch(line -> line.contains(bed.slack().webhookUrl()));
                    assertThat(jsonLines(monitor, "tm=" + uid)).as("the JSON path says the same")
                            .isEqualTo(run.decisions());
                }
                Run silenced = history(settings, SILENCED);
                assertThat(silenced.decisions()).as("history " + SILENCED)
                        .anySatisfy(line -> assertThat(line).contains("TM " + SILENCED + " task task-" + SILENCED,
                                "held back", "on slack to default: silenced", "migration"))
                        .anySatisfy(line -> assertThat(line).contains("held back", "on email", "silenced",
                                "migration"))
                        .allSatisfy(line -> assertThat(line).contains("sent once it ends (alert.after-silence=tell)"))
                        .noneMatch(line -> line.contains("task-" + SILENCED + ": sent"));
                assertThat(jsonLines(monitor, "tm=" + SILENCED)).isEqualTo(silenced.decisions());
                assertThat(bed.slack().posts()).as("the digest lists the storm, not the silenced TM")
                        .noneMatch(post -> post.contains(SILENCED));
                bed.phrase().lastTask("tmStorm3", ok("task-after"));
                await().atMost(Duration.ofSeconds(30)).until(() -> history(settings, "tmStorm3").decisions()
                        .stream().filter(line -> line.contains("sent resolved")).count() == 2);
                whileRunning = history(settings, "tmStorm3").decisions();
                assertThat(jsonLines(monitor, "tm=tmStorm3")).isEqualTo(whileRunning);
            }
            assertThat(history(settings, "tmStorm3").decisions()).as("after a stop, the incident closed")
                    .isEqualTo(whileRunning);
            try (RunningMonitor restarted = RunningMonitor.start(settings)) {
                assertThat(restarted.awaitRounds(1, 30)).isTrue();
                assertThat(jsonLines(restarted, "tm=tmStorm3")).as("after a restart, which compacts the journal")
                        .isEqualTo(whileRunning);
                assertThat(jsonLines(restarted, "incident=task-tmStorm3")).isEqualTo(whileRunning);
                assertThat(jsonLines(restarted, "tm=tmStorm3&since=2999-01-01T00:00:00Z")).isEmpty();
                assertThat(Management.get(restarted.managementUrl() + "/history?since=yesterday").status())
                        .isEqualTo(400);
            }
        }
    }

    @Test
    void aNoticeHeldBackPassAfterPassWritesOneJournalLine() throws Exception {
        bed.phrase().loginIssues("token-1").translationMemory("tm1", "Glossary EN-DE")
                .lastTask("tm1", failed("task-1", "broken"));
        bed.slack().answerWith(500);
        Map<String, String> settings = bed.settingsWatching("tm1");
        settings.put("alert.channels", "slack");
        settings.put("alert.delivery.retries", "0");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> history(settings, "tm1").decisions().stream()
                    .anyMatch(line -> line.contains("held back alert on slack to default: failed, tried again")));
            int attempts = bed.slack().attempts();
            int lines = StateFile.completeLines(StateFile.journal(bed.stateDir())).size();
            assertThat(monitor.awaitRounds(4, 60)).isTrue();
            assertThat(bed.slack().attempts()).as("each round tried again").isGreaterThan(attempts);
            assertThat(StateFile.completeLines(StateFile.journal(bed.stateDir())))
                    .as("no journal line per delivery pass").hasSize(lines);
            assertThat(history(settings, "tm1").decisions())
                    .filteredOn(line -> line.contains("failed, tried again (tried again at the next round)"))
                    .hasSize(1);
        }
    }

    @Test
    void aWrongCommandLineOrTimeSaysSoAndATmWithoutDecisionsSaysThat() {
        Map<String, String> settings = bed.settingsWatching("tm1");
        assertThat(history(settings).exitCode()).as("no TM nor incident").isEqualTo(2);
        Run badTime = history(settings, "tm1", "--since", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.err()).contains("--since must be an ISO-8601 instant such as");
        Run nothing = history(settings, "tmNever");
        assertThat(nothing.exitCode()).isZero();
        assertThat(nothing.out()).startsWith("No decision recorded for TM tmNever");
    }
}
