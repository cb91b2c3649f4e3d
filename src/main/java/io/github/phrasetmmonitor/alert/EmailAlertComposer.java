package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.settings.TmLinks;
import io.github.phrasetmmonitor.text.SafeText;
import java.util.Map;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.camel.component.mail.MailConstants;

/**
 * A notice as an email, worded by the {@code templates/email-*.yaml} files: a subject, a plain-text part and an HTML
 * part. In the HTML, Phrase's text is escaped before it reaches the template. Phrase's text reaches the subject only
 * with line breaks and control characters removed, so it can never end the header block or add a header (and with
 * it, recipients); the recipients come from the settings or the routing rules alone. Phrase's values arrive bounded
 * and cleaned ({@link SafeText}); the rendered subject and parts are cleaned once more, so neither a template nor a
 * value that escaped the records can bring a control or bidi character.
 */
public final class EmailAlertComposer {

    private static final int SUBJECT_LIMIT = 180;

    private final AlertTemplates templates;
    private final NoticeMessageId messageIds;
    private final TmLinks links;

    /** Without links into Phrase. */
    public EmailAlertComposer(AlertTemplates templates) {
        this(templates, new NoticeMessageId(""), TmLinks.NONE);
    }

    public EmailAlertComposer(AlertTemplates templates, NoticeMessageId messageIds, TmLinks links) {
        this.templates = templates;
        this.messageIds = messageIds;
        this.links = links;
    }

    /**
     * The notice as the message the {@code smtp:} endpoint sends: only the headers set here travel, and the
     * recipients come from the routing (settings or rules), never from Phrase. Every copy of a notice has the same
     * {@code Message-ID} ({@link NoticeMessageId}); each says it was sent automatically (RFC 3834), so out-of-office
     * replies and other responders do not answer the sender address.
     */
    public void compose(@Variable("notice") Notice notice, Message message) {
        message.removeHeaders("*");
        message.setHeader("To", notice.destination());
        message.setHeader("Message-ID", messageIds.of(notice));
        message.setHeader("Auto-Submitted", "auto-generated");
        // Exchange's own way of saying the same to its out-of-office and auto-reply rules
        message.setHeader("X-Auto-Response-Suppress", "OOF, AutoReply");
        message.setHeader("Subject", subject(notice));
        message.setHeader(MailConstants.MAIL_ALTERNATIVE_BODY, text(notice));
        message.setBody(html(notice));
    }

    public String subject(Notice notice) {
        return headerSafe(templates.render(template(notice), "subject", AlertValues.of(notice, text -> text, links)));
    }

    public String text(Notice notice) {
        // at most one empty line in a row, where a template's optional parts were left out
        return SafeText.clean(templates.render(template(notice), "text", AlertValues.of(notice, text -> text, links)));
    }

    public String html(Notice notice) {
        Map<String, Object> values = AlertValues.of(notice, EmailAlertComposer::escapeHtml, links);
        return SafeText.clean(templates.render(template(notice), "html", values));
    }

    private static String template(Notice notice) {
        return "email-" + notice.templateKind();
    }

    public static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String headerSafe(String text) {
        return SafeText.line(text, SUBJECT_LIMIT);
    }
}
