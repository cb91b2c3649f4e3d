package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
