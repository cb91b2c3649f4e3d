package io.github.phrasetmmonitor.alert;

import com.slack.api.model.Message;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import io.github.phrasetmmonitor.classify.TaskCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * A failure alert as a Slack message: Block Kit for reading, plain {@code text} for notifications. Phrase's text is
 * escaped ({@code & < >}) everywhere Slack parses markup, so a TM name or error cannot ping {@code @channel} or
 * disguise a link.
 */
public final class SlackAlertComposer {

    /** Slack's limit for one section field. */
    static final int FIELD_LIMIT = 2000;
    /** Slack's limit for one section text. */
    static final int SECTION_LIMIT = 3000;
    private static final int FIELDS_PER_SECTION = 10;

    public Message failure(TaskCheck check) {
        AlertFacts facts = AlertFacts.of(check);
        Message message = new Message();
        message.setText("Phrase TM task failed: " + escape(facts.tmName()) + " (" + escape(facts.tmUid()) + ")");
        message.setBlocks(blocks(facts));
        return message;
    }

    private static List<LayoutBlock> blocks(AlertFacts facts) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(HeaderBlock.builder()
                .text(PlainTextObject.builder().text("Phrase TM task failed").emoji(false).build())
                .build());
        List<TextObject> fields = new ArrayList<>();
        StringBuilder longFacts = new StringBuilder();
        for (AlertFacts.Fact fact : facts.facts()) {
            String text = "*" + fact.label() + "*\n" + escape(fact.value());
            if (fact.value().contains("\n") || text.length() > 200) {
                longFacts.append(text).append("\n\n");
            } else {
                fields.add(MarkdownTextObject.builder().text(truncate(text, FIELD_LIMIT)).build());
            }
        }
        for (int from = 0; from < fields.size(); from += FIELDS_PER_SECTION) {
            List<TextObject> chunk = fields.subList(from, Math.min(fields.size(), from + FIELDS_PER_SECTION));
            blocks.add(SectionBlock.builder().fields(new ArrayList<>(chunk)).build());
        }
        if (!longFacts.isEmpty()) {
            blocks.add(SectionBlock.builder()
                    .text(MarkdownTextObject.builder().text(truncate(longFacts.toString().strip(), SECTION_LIMIT)).build())
                    .build());
        }
        return blocks;
    }

    /** Slack's own escaping for text it parses: only these three characters carry markup. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String truncate(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        String cut = text.substring(0, limit - 1);
        int openEntity = cut.lastIndexOf('&');
        if (openEntity >= 0 && cut.indexOf(';', openEntity) < 0) {
            cut = cut.substring(0, openEntity);
        }
        return cut + "…";
    }
}
