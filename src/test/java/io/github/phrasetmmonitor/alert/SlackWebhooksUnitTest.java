package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.model.Message;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.DividerBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.ImageElement;
import io.github.phrasetmmonitor.support.SlackCalls;
import io.github.phrasetmmonitor.support.SlackRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a webhook post carries, as Slack receives it: the field names of Slack's documentation (Block Kit and
 * incoming webhooks), snake_case, never the Java model's camelCase.
 */
class SlackWebhooksUnitTest {

    /**
     * The names Slack documents for what the monitor may send: the incoming webhook's payload ({@code text},
     * {@code blocks}, {@code thread_ts}), the blocks (header, section, context, divider), text objects and the image
     * element.
     */
    private static final Set<String> SLACK_NAMES = Set.of("text", "blocks", "thread_ts", "type", "block_id", "emoji",
            "verbatim", "fields", "accessory", "elements", "image_url", "alt_text");

    private final ObjectMapper json = new ObjectMapper();
    private SlackRecorder slack;
    private SlackWebhooks webhooks;
    private SlackCalls calls;

    @BeforeEach
    void start() throws Exception {
        slack = new SlackRecorder();
        calls = new SlackCalls("https://slack.com/api", Duration.ofSeconds(10));
        webhooks = new SlackWebhooks(name -> Optional.of(slack.webhookUrl()), calls.http(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        calls.close();
        slack.close();
    }

    @Test
    void multiWordFieldsArePostedWithSlacksSnakeCaseNames() throws Exception {
        Message message = new Message();
        message.setText("Phrase TM task failed: Legal EN-DE (tm1)");
        message.setThreadTs("1712345678.000100");
        ImageElement logo = ImageElement.builder().imageUrl("https://example.com/phrase.png").altText("Phrase").build();
        message.setBlocks(List.of(
                HeaderBlock.builder().blockId("alert-header")
                        .text(PlainTextObject.builder().text("Phrase TM task failed").emoji(false).build()).build(),
                SectionBlock.builder().blockId("alert-summary")
                        .text(MarkdownTextObject.builder().text("*IMPORT_TMX* failed").verbatim(true).build())
                        .fields(List.of(MarkdownTextObject.builder().text("*TM*\nLegal EN-DE").build()))
                        .accessory(logo).build(),
                ContextBlock.builder().blockId("alert-context")
                        .elements(List.of(logo, MarkdownTextObject.builder().text("task imp-1").build())).build(),
                DividerBlock.builder().blockId("alert-end").build()));

        webhooks.post("default", message);

        assertThat(slack.posts()).hasSize(1);
        JsonNode posted = json.readTree(slack.posts().get(0));
        assertThat(fieldNames(posted)).isSubsetOf(SLACK_NAMES).allSatisfy(SlackWebhooksUnitTest::isNotCamelCase)
                .contains("block_id", "thread_ts", "image_url", "alt_text", "emoji", "fields", "elements");
        assertThat(posted.path("thread_ts").asText()).isEqualTo("1712345678.000100");
        JsonNode blocks = posted.path("blocks");
        assertThat(blocks.path(0).path("block_id").asText()).isEqualTo("alert-header");
        assertThat(blocks.path(0).path("text").path("emoji").asBoolean(true)).isFalse();
        assertThat(blocks.path(1).path("accessory").path("image_url").asText()).isEqualTo("https://example.com/phrase.png");
        assertThat(blocks.path(2).path("elements").path(0).path("alt_text").asText()).isEqualTo("Phrase");
        assertThat(blocks.path(3).path("type").asText()).isEqualTo("divider");
    }

    @Test
    void aComposedAlertCarriesOnlySlacksNamesAndNoneOfTheModelsHistoryFlags() throws Exception {
        SlackAlertComposer composer = new SlackAlertComposer(AlertTestData.shippedTemplates());
        Message alert = composer.compose(AlertTestData.alert("slack",
                AlertTestData.failure("Legal EN-DE", "The TMX file is not valid", "line 3: bad tag", "import failed")));

        webhooks.post("default", alert);

        assertThat(slack.posts()).hasSize(1);
        // a Message also models Slack's history API: its flags (unfurl_media, display_as_bot, ...) must not be sent
        assertThat(fieldNames(json.readTree(slack.posts().get(0)))).isSubsetOf(SLACK_NAMES)
                .contains("text", "blocks", "type");
    }

    private static void isNotCamelCase(String name) {
        assertThat(name).doesNotMatch(".*[a-z][A-Z].*");
    }

    /** Every field name in the document, at any depth. */
    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        collect(node, names);
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        node.fieldNames().forEachRemaining(names::add);
        node.elements().forEachRemaining(child -> collect(child, names));
    }
}
