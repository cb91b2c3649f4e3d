package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.slack.api.model.Message;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.composition.MarkdownTextObject;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlackAlertComposerUnitTest {

    private static final String HOSTILE = "<!channel> & <https://evil|click>";
    /** An '&' that does not start one of Slack's three entities. */
    private static final Pattern BARE_AMPERSAND = Pattern.compile("&(?!amp;|lt;|gt;)");

    /** HTML escaping off, so '<' would show as such in the JSON rather than as \u003c. */
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();
    private final SlackAlertComposer composer = new SlackAlertComposer(AlertTestData.shippedTemplates());

    @Test
    void escapesSlackMarkupCharacters() {
        assertThat(SlackAlertComposer.escape(HOSTILE)).isEqualTo("&lt;!channel&gt; &amp; &lt;https://evil|click&gt;");
        assertThat(SlackAlertComposer.escape(null)).isEmpty();
    }

    @Test
    void hostileTextCannotPingOrDisguiseLinks() {
        Message message = composer.compose(AlertTestData.alert("slack", AlertTestData.failure(HOSTILE, "see " + HOSTILE, HOSTILE, HOSTILE)));

        String json = gson.toJson(message);

        assertThat(json).doesNotContain("<!channel>").doesNotContain("<https").doesNotContain("<!")
                .contains("&lt;!channel&gt;");
        assertThat(message.getText()).isEqualTo(
                "Phrase TM task failed: &lt;!channel&gt; &amp; &lt;https://evil|click&gt; (tm-uid-1)");
    }

    @Test
    void longTextStaysWithinSlackLimitsWithoutHalfEntities() {
        String longError = "&<>".repeat(3_334).substring(0, 10_000);
        Message message = composer.compose(AlertTestData.alert("slack", AlertTestData.failure(HOSTILE, longError, "x".repeat(10_000), longError)));

        List<SectionBlock> sections = message.getBlocks().stream()
                .filter(SectionBlock.class::isInstance).map(SectionBlock.class::cast).toList();
        List<String> sectionTexts = sections.stream()
                .filter(section -> section.getText() != null).map(section -> section.getText().getText()).toList();
        List<String> fieldTexts = sections.stream()
                .filter(section -> section.getFields() != null).flatMap(section -> section.getFields().stream())
                .map(SlackAlertComposerUnitTest::text).toList();

        assertThat(sectionTexts).isNotEmpty().allSatisfy(text -> {
            assertThat(text).hasSizeLessThanOrEqualTo(SlackAlertComposer.SECTION_LIMIT).endsWith("…");
            assertThat(BARE_AMPERSAND.matcher(text).find()).as("half entity in %s", text).isFalse();
        });
        assertThat(sectionTexts.get(0)).contains("*Error*\n&amp;&lt;&gt;");
        // the error code moved from the fields into the error section (templates/slack-alert.yaml)
        assertThat(fieldTexts).isNotEmpty()
                .allSatisfy(text -> assertThat(text).hasSizeLessThanOrEqualTo(SlackAlertComposer.FIELD_LIMIT))
                .contains("*Task id*\ntask-42", "*Action*\nIMPORT_TMX");
        assertThat(gson.toJson(message)).doesNotContain("<!channel>").doesNotContain("<https");
    }

    @Test
    void aDigestOfManyFailuresStaysWithinFiftyBlocksAndNamesTheRest() {
        List<io.github.phrasetmmonitor.state.Incident> failures = java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> AlertTestData.record(AlertTestData.failure("TM " + i + " " + HOSTILE, "E".repeat(5000),
                        "d", null)))
                .map(record -> new io.github.phrasetmmonitor.state.Incident(
                        new io.github.phrasetmmonitor.state.FailureFacts(record.facts().tmName(),
                                "uid-" + record.facts().tmName().split(" ")[1], record.facts().taskId(),
                                record.facts().action(), null, null, null, record.facts().error(), List.of(), null),
                        null, record.routing(), record.detectedAt(), record.alerted(), record.reminded(), null,
                        null))
                .toList();
        Message digest = composer.compose(new Notice(Notice.Kind.DIGEST, "slack", "default", null, failures));

        assertThat(digest.getBlocks()).hasSizeLessThanOrEqualTo(SlackAlertComposer.MAX_BLOCKS);
        String json = gson.toJson(digest);
        assertThat(json).contains("60 tasks failed", "uid-0", "uid-45", "and 14 more", "uid-59")
                .doesNotContain("<!channel>");
        assertThat(digest.getBlocks().stream().filter(SectionBlock.class::isInstance).map(SectionBlock.class::cast)
                .map(section -> section.getText().getText()))
                .allSatisfy(text -> assertThat(text).hasSizeLessThanOrEqualTo(SlackAlertComposer.SECTION_LIMIT));
        assertThat(digest.getText()).isEqualTo("Phrase TM: 60 translation memories have a failed task");
    }

    /** Issue 14, item 5: neither Phrase nor a template brings a control or bidi character into a Slack message. */
    @Test
    void noControlOrBidiCharacterReachesTheMessageAndItIsBounded(@TempDir Path dir) throws Exception {
        SlackAlertComposer hostile = new SlackAlertComposer(AlertTestData.hostileTemplates(dir));

        Message message = hostile.compose(AlertTestData.alert("slack", AlertTestData.hostileFailure()));

        // Gson writes a control character as an escape (\u0000, \r, \t) and U+202E as it is
        String json = gson.toJson(message);
        assertThat(json).doesNotContain("\\u0000", "\\r", "\\t", "\u202E").hasSizeLessThan(12_000)
                .contains("Phrase TM task failed", "-monitor", "Legal Bcc: thief@evil.example NNN");
        assertThat(message.getText()).doesNotContainPattern(AlertTestData.FORBIDDEN);
    }

    @Test
    void truncateDropsAnEntityCutInHalf() {
        assertThat(SlackAlertComposer.truncate("ab&amp;cd", 6)).isEqualTo("ab…");
        assertThat(SlackAlertComposer.truncate("ab&amp;cd", 9)).isEqualTo("ab&amp;cd");
        assertThat(SlackAlertComposer.truncate("ab&amp;cdef", 10)).isEqualTo("ab&amp;cd…");
    }

    private static String text(TextObject field) {
        return ((MarkdownTextObject) field).getText();
    }
}
