package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.phrasetmmonitor.config.InvalidSettingsException;
import io.github.phrasetmmonitor.support.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertLedgerUnitTest {

    @TempDir
    Path dir;

    private AlertLedger ledger;

    private Path journal() {
        return dir.resolve("state").resolve("alerts-sent.journal");
    }

    /** Stops the current ledger (as at shutdown) and starts a fresh instance on the same journal. */
    private AlertLedger restart() {
        if (ledger != null) {
            ledger.stop();
        }
        ledger = new AlertLedger(journal());
        ledger.start();
        return ledger;
    }

    @AfterEach
    void stopLedger() {
        if (ledger != null) {
            ledger.stop();
        }
    }

    @Test
    void addOnlyReservesInMemory() {
        AlertLedger first = restart();

        assertThat(first.add("slack:tm:1")).isTrue();
        assertThat(first.add("slack:tm:1")).as("already in delivery").isFalse();
        assertThat(first.contains("slack:tm:1")).isTrue();

        assertThat(restart().contains("slack:tm:1")).isFalse();
    }

    @Test
    void confirmPersistsAcrossRestart() {
        AlertLedger first = restart();
        first.add("slack:tm:1");
        first.confirm("slack:tm:1");

        AlertLedger second = restart();

        assertThat(second.contains("slack:tm:1")).isTrue();
        assertThat(second.delivered()).containsExactly("slack:tm:1");
        assertThat(second.add("slack:tm:1")).as("already delivered").isFalse();
    }

    @Test
    void removeAfterAddFreesTheKey() {
        AlertLedger ledger = restart();
        ledger.add("email:tm:1");

        assertThat(ledger.remove("email:tm:1")).isTrue();
        assertThat(ledger.contains("email:tm:1")).isFalse();
        assertThat(ledger.add("email:tm:1")).isTrue();
    }

    @Test
    void tornLastLineIsIgnored() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), "+a\n+b\n+partial");

        assertThat(restart().delivered()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void unreadableLinesAreSkipped() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), "+a\ngarbage\n+\n\n-\n+b\n");

        assertThat(restart().delivered()).containsExactlyInAnyOrder("a", "b");
        assertThat(Files.readString(journal()).lines()).containsExactlyInAnyOrder("+a", "+b");
    }

    @Test
    void startCompactsTheJournal() throws Exception {
        AlertLedger ledger = restart();
        ledger.confirm("a");
        ledger.confirm("b");
        ledger.remove("a");
        assertThat(Files.readString(journal())).isEqualTo("+a\n+b\n-a\n");

        assertThat(restart().delivered()).containsExactly("b");
        assertThat(Files.readString(journal())).isEqualTo("+b\n");
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
        AlertLedger broken = new AlertLedger(stateDir.resolve("alerts-sent.journal"));

        assertThatThrownBy(broken::start).hasMessageContaining(stateDir.toString());
    }

    @Test
    void aKeyWithLineBreaksSurvivesARestartAsItself() {
        String key = "slack:tm:task\nwith\rbreaks%0A";
        AlertLedger first = restart();
        first.add(key);
        first.confirm(key);

        AlertLedger second = restart();

        assertThat(second.delivered()).containsExactly(key);
        assertThat(second.contains("slack:tm:task")).isFalse();
    }

    @Test
    void aBinaryJournalIsMovedAsideAndTheLedgerStartsEmpty() throws Exception {
        Files.createDirectories(journal().getParent());
        byte[] garbage = new byte[512];
        new java.util.Random(42).nextBytes(garbage);
        garbage[10] = 0;
        Files.write(journal(), garbage);

        try (LogCapture logs = LogCapture.attach()) {
            assertThat(restart().delivered()).isEmpty();
            assertThat(logs.linesContaining("cannot be read")).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("WARN").contains("moved it to alerts-sent.journal.unreadable-",
                            "starting with an empty ledger"));
        }
        assertThat(journal()).exists().isEmptyFile();
        try (var aside = Files.list(journal().getParent())) {
            List<Path> movedAside = aside.filter(p -> p.getFileName().toString()
                    .matches("alerts-sent\\.journal\\.unreadable-\\d{8}T\\d{6}Z")).toList();
            assertThat(movedAside).singleElement().satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(garbage));
        }
        ledger.add("slack:tm:1");
        ledger.confirm("slack:tm:1");
        assertThat(restart().delivered()).as("the fresh journal works").containsExactly("slack:tm:1");
    }

    @Test
    void aJournalThatIsNotUtf8OrHasNoRecordIsMovedAside() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.write(journal(), new byte[] {'+', 'a', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        assertThat(restart().delivered()).isEmpty();

        ledger.stop();
        Files.writeString(journal(), "<html>\nnot a journal\n");
        assertThat(restart().delivered()).isEmpty();

        try (var files = Files.list(journal().getParent())) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".unreadable-")).count())
                    .isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aJournalThatIsADirectoryIsMovedAside() throws Exception {
        Files.createDirectories(journal());

        assertThat(restart().delivered()).isEmpty();
        assertThat(journal()).isRegularFile();
    }

    /** A kill can cut the journal at any byte: every prefix must start, and keep exactly the complete lines. */
    @Test
    void aJournalCutAtAnyByteStartsWithExactlyItsCompleteLines() throws Exception {
        AlertLedger first = restart();
        List<String> keys = List.of("slack:tm1:task-1", "email:tm1:task-1", "slack:tm2:täsk-2", "email:tm2:task%0A3");
        for (String key : keys) {
            first.add(key);
            first.confirm(key);
        }
        first.stop();
        ledger = null;
        byte[] whole = Files.readAllBytes(journal());

        for (int cut = 0; cut <= whole.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(whole, cut);
            Files.write(journal(), prefix);
            String text = new String(prefix, java.nio.charset.StandardCharsets.UTF_8);
            long completeLines = text.chars().filter(c -> c == '\n').count();

            AlertLedger cutLedger = restart();

            assertThat(cutLedger.delivered()).as("cut at byte %d", cut)
                    .containsExactlyInAnyOrderElementsOf(keys.subList(0, (int) completeLines));
        }
    }

    @Test
    void aStateDirThatIsNotWritableFailsStartNamingTheSetting() throws Exception {
        Path regularFile = Files.writeString(dir.resolve("occupied"), "x");
        AlertLedger broken = new AlertLedger(regularFile.resolve("alerts-sent.journal"));

        assertThatThrownBy(broken::start).isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith("monitor.state-dir " + regularFile.toAbsolutePath())
                .hasMessageContaining("MONITOR_STATE_DIR");
    }
}
