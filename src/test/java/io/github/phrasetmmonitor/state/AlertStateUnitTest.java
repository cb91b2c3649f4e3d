package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert state store: what is recorded when, and what survives a restart or a crash. */
class AlertStateUnitTest {

    private static final Routing BOTH = new Routing(List.of("slack", "email"), "default", "ops@example.com");

    @TempDir
    Path dir;

    private AlertState state;
    private boolean sendResolved = true;

    private Path journal() {
        return dir.resolve("state").resolve("alerts-sent.journal");
    }

    /** Stops the current store (as at shutdown) and starts a fresh instance on the same journal. */
    private AlertState restart() {
        if (state != null) {
            state.stop();
        }
        state = new AlertState(journal(), Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC),
                sendResolved);
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

    private static AlertState.Key key(String tm, String task) {
        return new AlertState.Key(tm, task);
    }

    @Test
    void aNewFailureIsPendingOnEveryChannelUntilOneTakesIt() {
        AlertState first = restart();

        assertThat(first.failed(facts("tm", "t1"), BOTH)).isTrue();
        assertThat(first.failed(facts("tm", "t1"), BOTH)).as("already known").isFalse();

        FailureRecord pending = restart().find("tm", "t1").orElseThrow();
        assertThat(pending.unsettledTargets()).containsExactly("slack", "email");
        assertThat(pending.carriers()).isEmpty();
        assertThat(pending.facts().error()).isEqualTo("broken");
        assertThat(pending.routing()).isEqualTo(BOTH);
    }

    @Test
    void aDeliveryIsRecordedAndSurvivesARestart() {
        AlertState first = restart();
        first.failed(facts("tm", "t1"), BOTH);
        first.alerted(key("tm", "t1"), "email", "email");

        FailureRecord record = restart().find("tm", "t1").orElseThrow();

        assertThat(record.unsettledTargets()).containsExactly("slack");
        assertThat(record.carriers()).containsExactly("email");
    }

    @Test
    void aResolvedFailureOwesItsCarriersANoticeThenCloses() {
        AlertState first = restart();
        first.failed(facts("tm", "t1"), BOTH);
        first.alerted(key("tm", "t1"), "slack", "slack");
        first.alerted(key("tm", "t1"), "email", "slack");
        first.succeeded("tm", "t2", "IMPORT_TMX", "2024-05-06 07:00:00 UTC");

        AlertState second = restart();
        FailureRecord resolved = second.find("tm", "t1").orElseThrow();
        assertThat(resolved.resolution().taskId()).isEqualTo("t2");
        assertThat(resolved.owedResolvedNotice()).as("email was carried by slack").containsExactly("slack");

        second.notifiedResolved(key("tm", "t1"), "slack");

        assertThat(second.openFailures()).isEmpty();
        assertThat(restart().failed(facts("tm", "t1"), BOTH)).as("a closed task is never alerted again").isFalse();
    }

    @Test
    void aFailureNoChannelTookIsClosedWhenResolvedAndResolvedNoticesCanBeOff() {
        AlertState store = restart();
        store.failed(facts("tm", "t1"), BOTH);
        store.succeeded("tm", "t2", null, null);
        assertThat(store.openFailures()).isEmpty();

        sendResolved = false;
        store = restart();
        store.failed(facts("tm2", "t1"), BOTH);
        store.alerted(key("tm2", "t1"), "slack", "slack");
        store.succeeded("tm2", "t2", null, null);
        assertThat(store.openFailures()).isEmpty();
    }

    @Test
    void aNewFailedTaskSupersedesTheUnresolvedOne() {
        AlertState store = restart();
        store.failed(facts("tm", "t1"), BOTH);
        store.alerted(key("tm", "t1"), "slack", "slack");

        assertThat(store.failed(facts("tm", "t2"), BOTH)).isTrue();

        assertThat(restart().openFailures()).extracting(FailureRecord::taskId).containsExactly("t2");
    }

    @Test
    void tornLastLineIsIgnored() throws Exception {
        AlertState first = restart();
        first.failed(facts("tm", "t1"), BOTH);
        first.stop();
        Files.writeString(journal(), Files.readString(journal()) + "{\"failure\":{\"facts\":{\"tmUid\":\"tm2\"");

        assertThat(restart().openFailures()).extracting(FailureRecord::taskId).containsExactly("t1");
    }

    @Test
    void unreadableLinesAreSkippedAndStartCompactsTheJournal() throws Exception {
        AlertState first = restart();
        first.failed(facts("tm", "t1"), BOTH);
        first.alerted(key("tm", "t1"), "slack", "slack");
        first.alerted(key("tm", "t1"), "email", "email");
        first.stop();
        Files.writeString(journal(), "garbage\n{}\n" + Files.readString(journal()));
        assertThat(Files.readAllLines(journal())).hasSize(5);

        AlertState second = restart();

        assertThat(second.find("tm", "t1").orElseThrow().carriers()).containsExactly("slack", "email");
        assertThat(Files.readAllLines(journal())).hasSize(1);
    }

    @Test
    void linesOfTheOldAlertLedgerCountAsDeliveredWhenTheFailureIsSeenAgain() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), "+slack:tm:t1\n+email:tm:t1\n-email:tm:t1\n");

        AlertState store = restart();
        store.failed(facts("tm", "t1"), BOTH);

        FailureRecord record = store.find("tm", "t1").orElseThrow();
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
        AlertState broken = new AlertState(stateDir.resolve("alerts-sent.journal"), Clock.systemUTC(), true);

        assertThatThrownBy(broken::start).hasMessageContaining(stateDir.toString());
    }

    @Test
    void aTaskIdWithLineBreaksSurvivesARestartAsItself() throws Exception {
        String task = "task\nwith\rbreaks%0A";
        AlertState first = restart();
        first.failed(facts("tm", task), BOTH);
        first.alerted(key("tm", task), "slack", "slack");

        AlertState second = restart();

        assertThat(second.find("tm", task).orElseThrow().carriers()).containsExactly("slack");
        assertThat(Files.readAllLines(journal())).hasSize(1);
    }
}
