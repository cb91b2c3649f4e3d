package io.github.phrasetmmonitor.alert;

import com.slack.api.model.Message;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import io.github.phrasetmmonitor.settings.TmLinks;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.text.SafeText;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A notice as a Slack message: Block Kit for reading, plain {@code text} for notifications, worded by the
 * {@code templates/slack-*.yaml} files. Phrase's text is escaped ({@code & < >}) before it reaches a template, so a
 * TM name or error cannot ping {@code @channel} or disguise a link, and every part is cut to Slack's limits without
 * splitting an escape. Phrase's values arrive bounded and cleaned ({@link SafeText}); each rendered part is cleaned
 * once more, so neither a template nor a value that escaped the records can bring a control or bidi character.
 * Alerts, their reminders, resolved notices and a problem about one TM end in a button to the TM in Phrase
 * (template parts {@code link} and {@code linkText}), when links are on ({@code alert.phrase-tm-url}).
 */
public final class SlackAlertComposer {

    /** Slack's limit for one section field. */
    static final int FIELD_LIMIT = 2000;
    /** Slack's limit for one section text (and one context element). */
    static final int SECTION_LIMIT = 3000;
    /** Slack's limit for a header's text. */
    static final int HEADER_LIMIT = 150;
    /** Slack's limit on blocks in one message. */
    static final int MAX_BLOCKS = 50;
    private static final int FIELDS_PER_SECTION = 10;
    /** Slack's limits for a button's text and its URL. */
    static final int BUTTON_TEXT_LIMIT = 75;
    static final int BUTTON_URL_LIMIT = 3000;
    static final String BUTTON_TEXT = "Open in Phrase";

    private final AlertTemplates templates;
    private final TmLinks links;

    /** Without links into Phrase. */
    public SlackAlertComposer(AlertTemplates templates) {
        this(templates, TmLinks.NONE);
    }

    public SlackAlertComposer(AlertTemplates templates, TmLinks links) {
        this.templates = templates;
        this.links = links;
    }

    public Message compose(Notice notice) {
        Map<String, Object> values = AlertValues.of(notice, SlackAlertComposer::escape, links);
        if (notice.isAboutProblem()) {
            return notice.isList() ? list("slack-problem-digest", notice, values)
                    : headedNote("slack-problem", values);
        }
        if (notice.isList()) {
            return list("slack-digest", notice, values);
        }
        return notice.kind() == Notice.Kind.RESOLVED ? headedNote("slack-resolved", values) : alert(values);
    }

    /**
     * The alert of {@code notice} (one incident, as first posted) once it is resolved, for Slack app mode's edit of
     * the posted message: as it was, headed by slack-alert's {@code resolvedHeader}.
     */
    public Message resolvedAlert(Notice notice) {
        return alert(AlertValues.of(notice, SlackAlertComposer::escape, links), "resolvedHeader");
    }

    private Message alert(Map<String, Object> values) {
        return alert(values, "header");
    }

    private Message alert(Map<String, Object> values, String headerPart) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header("slack-alert", headerPart, values));
        List<TextObject> fields = new ArrayList<>();
        templates.renderEach("slack-alert", "fields", values).forEach((label, value) -> {
            String shown = SafeText.clean(value);
            fields.add(markdown(truncate("*" + SafeText.fold(label) + "*\n" + (shown.isEmpty() ? "-" : shown),
                    FIELD_LIMIT)));
        });
        for (int from = 0; from < fields.size(); from += FIELDS_PER_SECTION) {
            List<TextObject> chunk = fields.subList(from, Math.min(fields.size(), from + FIELDS_PER_SECTION));
            blocks.add(SectionBlock.builder().fields(new ArrayList<>(chunk)).build());
        }
        section(blocks, templates.render("slack-alert", "error", values));
        button(blocks, "slack-alert", values);
        context(blocks, templates.render("slack-alert", "context", values));
        return message(templates.render("slack-alert", "text", values), blocks);
    }

    /** A header, one body section and a context line: the resolved notice and the monitor's problems. */
    private Message headedNote(String template, Map<String, Object> values) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(template, values));
        section(blocks, templates.render(template, "body", values));
        button(blocks, template, values);
        context(blocks, templates.render(template, "context", values));
        return message(templates.render(template, "text", values), blocks);
    }

    /** A header, an intro, one section per incident, "more" for those that do not fit, and a context line. */
    private Message list(String template, Notice notice, Map<String, Object> values) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(template, values));
        section(blocks, templates.render(template, "intro", values));
        List<Incident> incidents = notice.incidents();
        int room = MAX_BLOCKS - blocks.size() - 2; // keep room for "more" and the context
        int shown = incidents.size() <= room + 1 ? incidents.size() : room;
        for (Incident incident : incidents.subList(0, shown)) {
            Map<String, Object> item = incident.isProblem()
                    ? AlertValues.problem(incident, SlackAlertComposer::escape, links)
                    : AlertValues.digestItem(incident, SlackAlertComposer::escape, links);
            section(blocks, templates.render(template, "item", item));
        }
        if (shown < incidents.size()) {
            List<Incident> rest = incidents.subList(shown, incidents.size());
            section(blocks, templates.render(template, "more", Map.of("count", rest.size(),
                    "uids", rest.stream().map(SlackAlertComposer::shortName).collect(Collectors.joining(", ")))));
        }
        context(blocks, templates.render(template, "context", values));
        return message(templates.render(template, "text", values), blocks);
    }

    private static String shortName(Incident incident) {
        return escape(incident.isProblem() ? incident.problem().key() : incident.tmUid());
    }

    private HeaderBlock header(String template, Map<String, Object> values) {
        return header(template, "header", values);
    }

    private HeaderBlock header(String template, String part, Map<String, Object> values) {
        String text = truncate(oneLine(templates.render(template, part, values)), HEADER_LIMIT);
        return HeaderBlock.builder().text(PlainTextObject.builder().text(text).emoji(false).build()).build();
    }

    private static void section(List<LayoutBlock> blocks, String text) {
        String tidy = tidy(text);
        if (!tidy.isEmpty() && blocks.size() < MAX_BLOCKS) {
            blocks.add(SectionBlock.builder().text(markdown(truncate(tidy, SECTION_LIMIT))).build());
        }
    }

    /**
     * A button to the template's {@code link}, labelled {@code linkText}: none when the link renders empty (links
     * off, no TM) or is not an http(s) URL, since Slack refuses a whole message for one bad button URL.
     */
    private void button(List<LayoutBlock> blocks, String template, Map<String, Object> values) {
        // a button's URL is plain JSON, not Slack markup: the escaped values are read back as they were
        String url = unescape(SafeText.fold(templates.renderIfPresent(template, "link", values)).strip());
        if (url.isEmpty() || url.length() > BUTTON_URL_LIMIT || !isWebAddress(url) || blocks.size() >= MAX_BLOCKS) {
            return;
        }
        String text = oneLine(templates.renderIfPresent(template, "linkText", values)).strip();
        List<BlockElement> elements = new ArrayList<>();
        elements.add(ButtonElement.builder().actionId("open-in-phrase").url(url)
                .text(PlainTextObject.builder().text(text.isEmpty() ? BUTTON_TEXT : truncate(text, BUTTON_TEXT_LIMIT))
                        .emoji(false).build())
                .build());
        blocks.add(ActionsBlock.builder().elements(elements).build());
    }

    private static boolean isWebAddress(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException malformed) {
            return false;
        }
    }

    /** Slack's three entities read back, for a button's URL, which Slack does not parse. */
    static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static void context(List<LayoutBlock> blocks, String text) {
        String tidy = tidy(text);
        if (!tidy.isEmpty() && blocks.size() < MAX_BLOCKS) {
            List<ContextBlockElement> elements = new ArrayList<>();
            elements.add(markdown(truncate(tidy, SECTION_LIMIT)));
            blocks.add(ContextBlock.builder().elements(elements).build());
        }
    }

    private static Message message(String text, List<LayoutBlock> blocks) {
        Message message = new Message();
        message.setText(truncate(oneLine(text), SECTION_LIMIT));
        message.setBlocks(blocks);
        return message;
    }

    private static MarkdownTextObject markdown(String text) {
        return MarkdownTextObject.builder().text(text).build();
    }

    /** Slack's own escaping for text it parses: only these three characters carry markup. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Cuts to {@code limit} characters, ending in "…", never inside an escape such as {@code &amp;}. */
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

    /** Template output without trailing spaces and with at most one empty line in a row. */
    private static String tidy(String text) {
        return SafeText.clean(text).replaceAll(" +\n", "\n").replaceAll("\n{3,}", "\n\n");
    }

    private static String oneLine(String text) {
        return SafeText.fold(text);
    }
}
