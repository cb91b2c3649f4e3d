package io.github.phrasetmmonitor.state;

import io.github.phrasetmmonitor.support.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.text.SafeText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incident state store: what is recorded when, and what survives a restart or a crash. */
class IncidentStateUnitTest {

    private static final Map<String, String> DESTINATIONS = Map.of("slack", "default", "email", "ops@example.com");
    private static final Routing BOTH = new Routing(List.of("slack", "email"), DESTINATIONS);

    @TempDir
    Path dir;

    private IncidentState state;
    private boolean sendResolved = true;

    private Path journal() {
        return dir.resolve("state").resolve(IncidentState.JOURNAL);
    }

    /** Stops the current store (as at shutdown) and starts a fresh instance on the same journal. */
    private IncidentState restart() {
        if (state != null) {
            state.stop();
        }
        state = new IncidentState(journal(), Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC),
                sendResolved, DESTINATIONS);
        state.start();
        return state;
    }

    @AfterEach
    void stopState() {
        if (state != null) {
            state.stop();
        }
    }

    private static FailureFacts facts(String tm, String task) {
        return new FailureFacts("Name " + tm, tm, task, "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(), null);
    }

    private static IncidentKey key(String tm, String task) {
        return IncidentKey.task(tm, task);
    }

    @Test
    void aNewFailureIsPendingOnEveryChannelUntilOneTakesIt() {
        IncidentState first = restart();

        assertThat(first.failed(facts("tm", "t1"), BOTH)).isTrue();
        assertThat(first.failed(facts("tm", "t1"), BOTH)).as("already known").isFalse();

        Incident pending = restart().find("tm", "t1").orElseThrow();
        assertThat(pending.unsettledTargets()).containsExactly("slack", "email");
        assertThat(pending.carriers()).isEmpty();
        assertThat(pending.facts().error()).isEqualTo("broken");
        assertThat(pending.routing()).isEqualTo(BOTH);
    }

    @Test
    void aDeliveryIsRecordedAndSurvivesARestart() {
        IncidentState first = restart();
        first.failed(facts("tm", "t1"), BOTH);
        first.alerted(key("tm", "t1"), "email", "email");

        Incident record = restart().find("tm", "t1").orElseThrow();

        assertThat(record.unsettledTargets()).containsExactly("slack");
        assertThat(record.carriers()).containsExactly("email");
    }

    @Test
    void whoTookANoticeInPartSurvivesARestartUntilTheNoticeIsRecordedWhole() throws Exception {
        IncidentState first = restart();
        first.failed(facts("tm", "t1"), BOTH);
        first.took(key("tm", "t1"), "email", Incident.Stage.ALERT, Set.of("ops@example.com"));
        first.took(key("tm", "t1"), "email", Incident.Stage.ALERT, Set.of("lead@example.com"));

        Incident part = restart().find("tm", "t1").orElseThrow();
        assertThat(part.took("email", Incident.Stage.ALERT)).containsExactlyInAnyOrder("ops@example.com",
                "lead@example.com");
        assertThat(part.took("email", Incident.Stage.REMINDER)).as("another notice").isEmpty();
        assertThat(part.unsettledTargets()).as("the others still lack it").containsExactly("slack", "email");
        assertThat(part.carriers()).as("some of email's people have it").containsExactly("email");
        assertThat(Files.readString(journal())).contains("\"partly\"");

        state.alerted(key("tm", "t1"), "email", "email");
        Incident whole = restart().find("tm", "t1").orElseThrow();
        assertThat(whole.took("email", Incident.Stage.ALERT)).isEmpty();
        assertThat(whole.partly()).isEmpty();
        assertThat(whole.carriers()).containsExactly("email");
    }

    @Test
    void aResolvedFailureOwesItsCarriersANoticeThenCloses() {
        IncidentState first = restart();
        first.failed(facts("tm", "t1"), BOTH);
        first.alerted(key("tm", "t1"), "slack", "slack");
        first.alerted(key("tm", "t1"), "email", "slack");
        first.succeeded("tm", "t2", "IMPORT_TMX", "2024-05-06 07:00:00 UTC");

        IncidentState second = restart();
        Incident resolved = second.find("tm", "t1").orElseThrow();
        assertThat(resolved.resolution().taskId()).isEqualTo("t2");
        assertThat(resolved.owedResolvedNotice()).as("email was carried by slack").containsExactly("slack");

        second.notifiedResolved(key("tm", "t1"), "slack");

        assertThat(second.openIncidents()).isEmpty();
        assertThat(restart().failed(facts("tm", "t1"), BOTH)).as("a closed task is never alerted again").isFalse();
    }

    @Test
    void aFailureNoChannelTookIsClosedWhenResolvedAndResolvedNoticesCanBeOff() {
        IncidentState store = restart();
        store.failed(facts("tm", "t1"), BOTH);
        store.succeeded("tm", "t2", null, null);
        assertThat(store.openIncidents()).isEmpty();

        sendResolved = false;
        store = restart();
        store.failed(facts("tm2", "t1"), BOTH);
        store.alerted(key("tm2", "t1"), "slack", "slack");
        store.succeeded("tm2", "t2", null, null);
        assertThat(store.openIncidents()).isEmpty();
    }

    @Test
    void aNewFailedTaskSupersedesTheUnresolvedOne() {
        IncidentState store = restart();
        store.failed(facts("tm", "t1"), BOTH);
        store.alerted(key("tm", "t1"), "slack", "slack");

        assertThat(store.failed(facts("tm", "t2"), BOTH)).isTrue();

        assertThat(restart().openIncidents()).extracting(Incident::taskId).containsExactly("t2");
    }

    @Test
    void tornLastLineIsIgnored() throws Exception {
        IncidentState first = restart();
        first.failed(facts("tm", "t1"), BOTH);
        first.stop();
        Files.writeString(journal(), Files.readString(journal()) + "{\"failure\":{\"facts\":{\"tmUid\":\"tm2\"");

        assertThat(restart().openIncidents()).extracting(Incident::taskId).containsExactly("t1");
    }

    @Test
    void unreadableLinesAreSkippedAndStartCompactsTheJournal() throws Exception {
        IncidentState first = restart();
        first.failed(facts("tm", "t1"), BOTH);
        first.alerted(key("tm", "t1"), "slack", "slack");
        first.alerted(key("tm", "t1"), "email", "email");
        first.stop();
        Files.writeString(journal(), "garbage\n{}\n" + Files.readString(journal()));
        assertThat(Files.readAllLines(journal())).hasSize(5);

        IncidentState second = restart();

        assertThat(second.find("tm", "t1").orElseThrow().carriers()).containsExactly("slack", "email");
        assertThat(Files.readAllLines(journal())).hasSize(1);
    }

    @Test
    void linesOfTheOldAlertLedgerCountAsDeliveredWhenTheFailureIsSeenAgain() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), "+slack:tm:t1\n+email:tm:t1\n-email:tm:t1\n");

        IncidentState store = restart();
        store.failed(facts("tm", "t1"), BOTH);

        Incident record = store.find("tm", "t1").orElseThrow();
        assertThat(record.carriers()).containsExactly("slack");
        assertThat(record.unsettledTargets()).containsExactly("email");
    }

    @Test
    void startCreatesMissingStateDirectory() {
        restart();

        assertThat(journal()).exists().isEmptyFile();
    }

    @Test
    void stateDirThatCannotBeCreatedFailsStartNamingIt() throws Exception {
        Path regularFile = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path stateDir = regularFile.resolve("state");
        IncidentState broken = new IncidentState(stateDir.resolve(IncidentState.JOURNAL), Clock.systemUTC(), true, DESTINATIONS);

        assertThatThrownBy(broken::start).hasMessageContaining(stateDir.toString());
    }

    @Test
    void aTaskIdWithLineBreaksSurvivesARestartAsItself() throws Exception {
        String task = "task\nwith\rbreaks%0A";
        IncidentState first = restart();
        first.failed(facts("tm", task), BOTH);
        first.alerted(key("tm", task), "slack", "slack");

        IncidentState second = restart();

        assertThat(second.find("tm", task).orElseThrow().carriers()).containsExactly("slack");
        assertThat(Files.readAllLines(journal())).hasSize(1);
    }

    /**
     * Issue 14, item 5: the release before bounded text kept Phrase's text up to 2,000 characters a value and ids at
     * any length. Its journal still loads, bounded, and a task closed under its long id stays closed.
     */
    @Test
    void aJournalWithTheEarlierReleasesLongValuesLoadsBoundedAndKeepsItsTasks() throws Exception {
        String openTask = "t".repeat(300);
        String closedTask = "c".repeat(300);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("tmName", "N".repeat(100_000));
        facts.put("tmUid", "tm");
        facts.put("taskId", openTask);
        facts.put("action", "IMPORT_TMX");
        facts.put("status", "ERROR");
        facts.put("errorCode", "X");
        facts.put("error", "Broken\u0000TMX\u202E\r\n" + "e".repeat(1_988) + "…");
        facts.put("errorDetails", Collections.nCopies(20, "d".repeat(1_999) + "…"));
        facts.put("lastTaskError", "l".repeat(1_999) + "…");
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("facts", facts);
        failure.put("routing", Map.of("channels", List.of("slack", "email"), "slackWebhook", "default",
                "emailTo", "ops@example.com"));
        failure.put("detectedAt", "2024-05-06T07:00:00Z");
        failure.put("alerted", Map.of("slack", Map.of("via", "slack", "at", "2024-05-06T07:01:00Z")));
        failure.put("reminded", Map.of());
        ObjectMapper json = new ObjectMapper();
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), json.writeValueAsString(Map.of("failure", failure)) + "\n"
                + json.writeValueAsString(Map.of("closed", Map.of("tmUid", "tm2", "taskId", closedTask))) + "\n");
        assertThat(Files.size(journal())).isGreaterThan(100_000);

        IncidentState loaded = restart();

        Incident record = loaded.find("tm", openTask).orElseThrow();
        assertThat(record.carriers()).containsExactly("slack");
        assertThat(record.unsettledTargets()).containsExactly("email");
        assertThat(record.facts().tmName()).hasSize(SafeText.NAME).endsWith("N…");
        assertThat(record.facts().taskId()).hasSize(SafeText.ID).startsWith("ttt").contains("…#");
        assertThat(record.facts().error()).hasSize(SafeText.ERROR_TEXT).startsWith("Broken TMX\neee");
        assertThat(record.facts().errorDetails()).hasSize(SafeText.ERROR_DETAILS)
                .allSatisfy(detail -> assertThat(detail).hasSize(SafeText.ERROR_DETAIL));
        assertThat(loaded.failed(facts("tm", openTask), BOTH)).as("the open failure is known").isFalse();
        assertThat(loaded.failed(facts("tm2", closedTask), BOTH)).as("the closed task stays closed").isFalse();
        assertThat(Files.size(journal())).as("rewritten compactly, bounded").isLessThan(20_000);
        assertThat(restart().find("tm", openTask).orElseThrow()).as("read back unchanged").isEqualTo(record);
    }

    @Test
    void aBinaryJournalIsMovedAsideAndTheStoreStartsEmpty() throws Exception {
        Files.createDirectories(journal().getParent());
        byte[] garbage = new byte[512];
        new java.util.Random(42).nextBytes(garbage);
        garbage[10] = 0;
        Files.write(journal(), garbage);

        try (LogCapture logs = LogCapture.attach()) {
            assertThat(restart().openIncidents()).isEmpty();
            assertThat(logs.linesContaining("cannot be read")).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("WARN").contains("moved it to incidents.journal.unreadable-",
                            "starting with an empty state"));
        }
        try (var aside = Files.list(journal().getParent())) {
            List<Path> movedAside = aside.filter(p -> p.getFileName().toString()
                    .matches("incidents\\.journal\\.unreadable-\\d{8}T\\d{6}Z")).toList();
            assertThat(movedAside).singleElement().satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(garbage));
        }
        state.failed(facts("tm", "t1"), BOTH);
        assertThat(restart().openIncidents()).as("the fresh journal works").hasSize(1);
    }

    @Test
    void aJournalThatIsNotUtf8OrHasNoRecordOrIsADirectoryIsMovedAside() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.write(journal(), new byte[] {'{', '}', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        assertThat(restart().openIncidents()).isEmpty();
        state.stop();
        Files.writeString(journal(), "<html>\nnot a journal\n");
        assertThat(restart().openIncidents()).isEmpty();
        state.stop();
        Files.delete(journal());
        Files.createDirectories(journal());
        assertThat(restart().openIncidents()).isEmpty();
        assertThat(journal()).isRegularFile();

        try (var files = Files.list(journal().getParent())) {
            // moved aside under a name stamped to the second, so three in one second leave one file
            assertThat(files.filter(p -> p.getFileName().toString().contains(".unreadable-")).count())
                    .isGreaterThanOrEqualTo(1);
        }
    }

    /** A kill can cut the journal at any byte: every prefix must start, and keep exactly the complete lines. */
    @Test
    void aJournalCutAtAnyByteStartsWithExactlyItsCompleteLines() throws Exception {
        IncidentState first = restart();
        List<String> tasks = List.of("task-1", "täsk-2", "task%0A3");
        for (String task : tasks) {
            first.failed(facts("tm-" + task, task), BOTH);
        }
        first.stop();
        state = null;
        byte[] whole = Files.readAllBytes(journal());

        for (int cut = 0; cut <= whole.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(whole, cut);
            Files.write(journal(), prefix);
            long completeLines = new String(prefix, java.nio.charset.StandardCharsets.UTF_8).chars()
                    .filter(c -> c == '\n').count();

            IncidentState cutState = restart();

            assertThat(cutState.openIncidents()).as("cut at byte %d", cut).extracting(Incident::taskId)
                    .containsExactlyInAnyOrderElementsOf(tasks.subList(0, (int) completeLines));
        }
    }

    @Test
    void aStateDirThatIsNotWritableFailsStartNamingTheSetting() throws Exception {
        Path regularFile = Files.writeString(dir.resolve("occupied"), "x");
        IncidentState broken = new IncidentState(regularFile.resolve(IncidentState.JOURNAL), Clock.systemUTC(), true, DESTINATIONS);

        assertThatThrownBy(broken::start).hasMessageStartingWith("monitor.state-dir " + regularFile.toAbsolutePath())
                .hasMessageContaining("MONITOR_STATE_DIR");
    }
}
