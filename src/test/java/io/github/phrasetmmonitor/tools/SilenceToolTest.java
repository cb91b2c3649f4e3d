package io.github.phrasetmmonitor.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.silence.SilenceJournal;
import io.github.phrasetmmonitor.support.ManualClock;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silence add/list/expire}, run in-process as the jar runs them: what each prints, that the silence is kept in
 * monitor.state-dir, and validate's line for a broken silences file.
 */
class SilenceToolTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @TempDir
    Path opsDir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-12T10:00:00Z"));

    private record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Run run(Map<String, String> settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new OperatorTools(Path.of(""), settings, clock).run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void addListAndExpireASilenceKeptInTheStateDirectory() {
        Map<String, String> settings = bed.settings();
        settings.put("monitor.silences-file", opsDir.resolve("no-windows.yaml").toString());

        Run add = run(settings, "silence", "add", "tm=tm1", "kind=task-failed", "--for", "2h", "--author", "alice",
                "--reason", "migrating the legal TM");
        assertThat(add.exitCode()).as(add.err()).isZero();
        String id = add.out().replaceFirst("(?s)^silence add: (\\w+) added.*", "$1");
        assertThat(add.lines()).containsExactly(
                "silence add: " + id + " added: tm=tm1 kind=task-failed  until 2026-12-12T12:00:00Z  by alice:"
                        + " migrating the legal TM",
                "Held back from now on by a running monitor (within a few seconds); kept in "
                        + bed.stateDir().resolve(SilenceJournal.FILE) + ".");
        assertThat(bed.stateDir().resolve(SilenceJournal.FILE)).exists();

        Run list = run(settings, "silence", "list");
        assertThat(list.lines()).containsExactly(id + "  tm=tm1 kind=task-failed  until 2026-12-12T12:00:00Z  by alice:"
                + " migrating the legal TM");

        clock.advance(Duration.ofMinutes(30));
        Run expire = run(settings, "silence", "expire", id);
        assertThat(expire.exitCode()).isZero();
        assertThat(expire.lines()).containsExactly("silence expire: " + id + " expired at 2026-12-12T10:30:00Z; what"
                + " it held back is told or dropped as alert.after-silence says");
        assertThat(run(settings, "silence", "list").lines()).containsExactly("silence list: no active or future"
                + " ad-hoc silence in " + bed.stateDir().resolve(SilenceJournal.FILE));
        assertThat(run(settings, "silence", "list", "--all").lines()).containsExactly(id + "  tm=tm1 kind=task-failed"
                + "  expired 2026-12-12T10:30:00Z  by alice: migrating the legal TM");

        Run unknown = run(settings, "silence", "expire", "nosuchid");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("silence expire: no silence nosuchid in ");
    }

    @Test
    void aSilenceWithoutAnEndOrAReasonIsRefusedWithOneLine() {
        Map<String, String> settings = bed.settings();
        Run noEnd = run(settings, "silence", "add", "everything", "--reason", "maintenance");
        assertThat(noEnd.exitCode()).isEqualTo(2);
        assertThat(noEnd.err().lines()).containsExactly(
                "silence add: give the end: --for <duration> (e.g. 2h) or --until <time>");
        Run noReason = run(settings, "silence", "add", "everything", "--until", "2026-12-12T22:00+01:00");
        assertThat(noReason.err().lines()).containsExactly(
                "silence add: give a --reason, for whoever wonders why nothing is told");
        assertThat(bed.stateDir().resolve(SilenceJournal.FILE)).doesNotExist();
    }

    @Test
    void validateNamesTheSilencesFileAndLineOfEachMistake() throws Exception {
        Path file = opsDir.resolve("silences.yaml");
        Files.writeString(file, """
                windows:
                  - name: phrase-maintenance
                    match: everything
                    weekdays: [SAT, FUNDAY]
                    from: "22:00"
                    until: "02:00"
                """);
        Map<String, String> settings = bed.settings();
        settings.put("monitor.silences-file", file.toString());
        Run validate = run(settings, "validate");
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.lines()).containsExactly(
                file + ":4: window 'phrase-maintenance': weekday 'FUNDAY' is not MON, TUE, WED, THU, FRI, SAT, SUN"
                        + " or a range such as MON-FRI",
                "validate: 1 problem found");
    }
}
