package io.github.phrasetmmonitor.tools;

import com.slack.api.model.Message;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import io.github.phrasetmmonitor.alert.EmailAlertComposer;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.alert.SlackAlertComposer;
import io.github.phrasetmmonitor.config.MonitorVersion;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Variable;
import org.apache.camel.component.mail.MailConstants;

/**
 * The wording of {@code test-alert}'s notices, in place of the alert templates: no one who gets one can take it for
 * an alert. They stand in for the {@code slackAlerts} and {@code emailAlerts} beans of the send routes, so the test
 * notice goes out through the real routes, senders and retry rule.
 */
final class TestNotices {

    static final String TITLE = "Test notice from phrase-tm-monitor";
    static final String EMAIL_SUBJECT = "[Phrase TM] Test notice: nothing has failed";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private TestNotices() {
    }

    private static String body(String where) {
        return "This is a test of the alert path, sent by phrase-tm-monitor test-alert to " + where + ". Nothing has"
                + " failed in Phrase and nothing needs doing: if you read this, alerts sent there reach you.";
    }

    private static String footer() {
        return "phrase-tm-monitor " + MonitorVersion.current() + ", sent " + WHEN.format(Instant.now());
    }

    /** For route send-slack-alert: the test notice as a Slack message. */
    static final class Slack {

        private final SlackNames names;

        Slack(SlackNames names) {
            this.names = names;
        }

        public Message compose(@Variable("notice") Notice notice) {
            List<LayoutBlock> blocks = new ArrayList<>();
            blocks.add(HeaderBlock.builder().text(PlainTextObject.builder().text(TITLE).emoji(false).build()).build());
            blocks.add(SectionBlock.builder().text(MarkdownTextObject.builder().text("*Test* - " + body(
                    "Slack " + SlackAlertComposer.escape(names.label(notice.destination())))).build()).build());
            blocks.add(ContextBlock.builder().elements(new ArrayList<>(List.of(MarkdownTextObject.builder()
                    .text(footer()).build()))).build());
            Message message = new Message();
            message.setText(TITLE + ": nothing has failed");
            message.setBlocks(blocks);
            return message;
        }
    }

    /** For route send-email-alert: the test notice as an email, plain text and HTML. */
    static final class Email {

        public void compose(@Variable("notice") Notice notice, org.apache.camel.Message message) {
            String text = body("these recipients (" + notice.destination() + ")");
            message.removeHeaders("*");
            message.setHeader("To", notice.destination());
            message.setHeader("Subject", EMAIL_SUBJECT);
            message.setHeader(MailConstants.MAIL_ALTERNATIVE_BODY, TITLE + "\n\n" + text + "\n\n" + footer() + "\n");
            message.setBody("<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n<h2>" + TITLE
                    + "</h2>\n<p>" + EmailAlertComposer.escapeHtml(text) + "</p>\n<p style=\"color: #666\">"
                    + EmailAlertComposer.escapeHtml(footer())
                    + "</p>\n</body></html>\n");
        }
    }
}
