package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmailAlertComposerUnitTest {

    private final EmailAlertComposer composer = new EmailAlertComposer(AlertTestData.shippedTemplates());

    @Test
    void subjectCannotAddHeaders() {
        String subject = composer.subject(email(AlertTestData.failure("Evil\r\nBcc: attacker@example.com", "x", "y", null)));

        assertThat(subject).isEqualTo("[Phrase TM] IMPORT_TMX failed: Evil Bcc: attacker@example.com");
    }

    @Test
    void subjectDropsOtherLineBreaksAndControlCharacters() {
        String subject = composer.subject(email(AlertTestData.failure("A\u0000B\tC\u2028D\u0085E\u007fF\nG", "x", "y", null)));

        assertThat(subject).endsWith("A B C D E F G").doesNotContainPattern("[\\x00-\\x1f\\x7f\\u0085\\u2028\\u2029]");
    }

    @Test
    void subjectIsAtMost180Characters() {
        String subject = composer.subject(email(AlertTestData.failure("N".repeat(500), "x", "y", null)));

        assertThat(subject).hasSize(180).startsWith("[Phrase TM] IMPORT_TMX failed: NNN").endsWith("N…");
    }

    @Test
    void bodyListsTheFacts() {
        String body = composer.text(email(AlertTestData.failure("Glossary", "Broken TMX", "line 12\nline 40", null)));

        // wording from templates/email-alert.yaml: details are listed one per line
        assertThat(body).contains("TM uid: tm-uid-1\n", "Task id: task-42\n", "Error code: TMX_INVALID\n",
                "Error: Broken TMX\n", "Created: 2023-11-07 05:31:56 UTC\n", "Error details:\n  - line 12\nline 40\n");
    }

    @Test
    void subjectDropsNonAsciiControlCharactersToo() {
        String subject = composer.subject(email(AlertTestData.failure("A\u009bB\u0080C", "x", "y", null)));

        assertThat(subject).endsWith("A B C").doesNotContainPattern("[\\u0080-\\u009f]");
    }

    /** Issue 14, item 5: neither Phrase nor a template brings a control or bidi character into an email. */
    @Test
    void noControlOrBidiCharacterReachesTheEmailAndItIsBounded(@TempDir Path dir) throws Exception {
        EmailAlertComposer hostile = new EmailAlertComposer(AlertTestData.hostileTemplates(dir));
        Notice notice = email(AlertTestData.hostileFailure());

        String subject = hostile.subject(notice);
        String text = hostile.text(notice);
        String html = hostile.html(notice);

        assertThat(subject).startsWith("[Phrase TM] IMPORT_TMX failed: Legal Bcc: thief@evil.example NNN")
                .hasSizeLessThanOrEqualTo(180).doesNotContainPattern(AlertTestData.FORBIDDEN).doesNotContain("\n");
        assertThat(text).doesNotContainPattern(AlertTestData.FORBIDDEN).hasSizeLessThan(12_000)
                .contains("Translation memory: Legal Bcc: thief@evil.example NNN", "Error: Broken \n TMX eee",
                        "phrase-tm-monitor: once per task");
        assertThat(html).doesNotContainPattern(AlertTestData.FORBIDDEN).hasSizeLessThan(12_000)
                .contains("<td>Legal Bcc: thief@evil.example NNN");
    }

    private static Notice email(io.github.phrasetmmonitor.classify.TaskCheck check) {
        return AlertTestData.alert("email", check);
    }
}
