package io.github.phrasetmmonitor.summary;

import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import com.slack.api.model.Message;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import io.github.phrasetmmonitor.alert.AlertTemplates;
import io.github.phrasetmmonitor.alert.EmailAlertComposer;
import io.github.phrasetmmonitor.alert.SlackAlertComposer;
import io.github.phrasetmmonitor.alert.AlertValues;
import io.github.phrasetmmonitor.settings.TmLinks;
import io.github.phrasetmmonitor.text.SafeText;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A summary worded by the {@code summary} part of {@code templates/slack-alert.yaml} (labels header, text, body) and
 * {@code templates/email-alert.yaml} (subject, text, html), or, for a copy of the templates without it or without one
 * of its labels, by the built-in wording below (the one shipped). Names and uids are escaped for the format before
 * they reach a template, as in every alert.
 */
public final class SummaryMessages {

    static final String PART = "summary";
    private static final int HEADER_LIMIT = 150;
    private static final int SECTION_LIMIT = 3000;
    private static final int SUBJECT_LIMIT = 180;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The wording when templates/ has none: the same as shipped. */
    static final Map<String, String> SLACK_DEFAULT = Map.of(
            "header", "Phrase TM summary: {{failed}} failed, {{stuck}} stuck, {{stillOpen}} still open",
            "text", "Phrase TM summary {{from}} to {{to}}: {{failed}} failed, {{stuck}} stuck, {{stillOpen}} still"
                    + " open",
            "body", """
                    *{{from}} to {{to}}*
                    Rounds: {{rounds}}, checks: {{checks}} ({{outcomes}})
                    Tasks failed: {{failed}}, stuck: {{stuck}}, still open: {{stillOpen}}
                    Resolved: {{resolved}}{{#hasResolved}}, time to resolve: median {{medianToResolve}}, worst {{worstToResolve}}{{/hasResolved}}
                    {{#hasFailingMost}}
                    *TMs that failed most*
                    {{#failingMost}}
                    • {{#tmUrl}}<{{tmUrl}}|{{tmName}}>{{/tmUrl}}{{^tmUrl}}{{tmName}}{{/tmUrl}} ({{tmUid}}): {{count}}
                    {{/failingMost}}
                    {{/hasFailingMost}}
                    {{#hasProblems}}
                    *The monitor's own problems*
                    {{#problems}}
                    • {{key}} from {{since}}: {{lasted}}{{#ongoing}}, still open{{/ongoing}}
                    {{/problems}}
                    {{/hasProblems}}
                    {{^hasProblems}}
                    The monitor had no problems of its own.
                    {{/hasProblems}}
                    """);

    static final Map<String, String> EMAIL_DEFAULT = Map.of(
            "subject", "[Phrase TM] Summary {{from}} to {{to}}: {{failed}} failed, {{stuck}} stuck, {{stillOpen}}"
                    + " still open",
            "text", """
                    Phrase TM monitor summary, {{from}} to {{to}}

                    Rounds: {{rounds}}, checks: {{checks}} ({{outcomes}})
                    Tasks failed: {{failed}}, stuck: {{stuck}}, still open: {{stillOpen}}
                    Resolved: {{resolved}}{{#hasResolved}}, time to resolve: median {{medianToResolve}}, worst {{worstToResolve}}{{/hasResolved}}
                    {{#hasFailingMost}}

                    TMs that failed most:
                    {{#failingMost}}
                    - {{tmName}} ({{tmUid}}): {{count}}{{#tmUrl}} {{tmUrl}}{{/tmUrl}}
                    {{/failingMost}}
                    {{/hasFailingMost}}

                    {{#hasProblems}}
                    The monitor's own problems:
                    {{#problems}}
                    - {{key}} from {{since}}: {{lasted}}{{#ongoing}}, still open{{/ongoing}}
                    {{/problems}}
                    {{/hasProblems}}
                    {{^hasProblems}}
                    The monitor had no problems of its own.
                    {{/hasProblems}}
                    """,
            "html", """
                    <h2>Phrase TM monitor summary</h2>
                    <p>{{from}} to {{to}}</p>
                    <table>
                    <tr><td>Rounds</td><td>{{rounds}}</td></tr>
                    <tr><td>Checks</td><td>{{checks}} ({{outcomes}})</td></tr>
                    <tr><td>Tasks failed</td><td>{{failed}}</td></tr>
                    <tr><td>Tasks stuck</td><td>{{stuck}}</td></tr>
                    <tr><td>Still open</td><td>{{stillOpen}}</td></tr>
                    <tr><td>Resolved</td><td>{{resolved}}</td></tr>
                    {{#hasResolved}}
                    <tr><td>Time to resolve</td><td>median {{medianToResolve}}, worst {{worstToResolve}}</td></tr>
                    {{/hasResolved}}
                    </table>
                    {{#hasFailingMost}}
                    <h3>TMs that failed most</h3>
                    <ul>
                    {{#failingMost}}
                    <li>{{#tmUrl}}<a href="{{tmUrl}}">{{tmName}}</a>{{/tmUrl}}{{^tmUrl}}{{tmName}}{{/tmUrl}} ({{tmUid}}): {{count}}</li>
                    {{/failingMost}}
                    </ul>
                    {{/hasFailingMost}}
                    {{#hasProblems}}
                    <h3>The monitor's own problems</h3>
                    <ul>
                    {{#problems}}
                    <li>{{key}} from {{since}}: {{lasted}}{{#ongoing}}, still open{{/ongoing}}</li>
                    {{/problems}}
                    </ul>
                    {{/hasProblems}}
                    {{^hasProblems}}
                    <p>The monitor had no problems of its own.</p>
                    {{/hasProblems}}
                    """);

    private final AlertTemplates templates;
    private final TmLinks links;
    private final Map<String, Mustache> defaults = new LinkedHashMap<>();

    public SummaryMessages(AlertTemplates templates, TmLinks links) {
        this.templates = templates;
        this.links = links;
        MustacheFactory factory = AlertTemplates.unescapedMustache();
        SLACK_DEFAULT.forEach((label, text) -> defaults.put("slack-alert." + label,
                factory.compile(new StringReader(text), "summary-slack-" + label)));
        EMAIL_DEFAULT.forEach((label, text) -> defaults.put("email-alert." + label,
                factory.compile(new StringReader(text), "summary-email-" + label)));
    }

    /** The summary as a Slack message: a header, the body as one section, {@code text} for notifications. */
    public Message slack(SummaryDelivery delivery) {
        Map<String, Object> values = values(delivery.report(), SlackAlertComposer::escape);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(HeaderBlock.builder().text(PlainTextObject.builder()
                .text(cut(SafeText.fold(render("slack-alert", "header", values)), HEADER_LIMIT)).emoji(false).build())
                .build());
        String body = tidy(render("slack-alert", "body", values));
        if (!body.isEmpty()) {
            blocks.add(SectionBlock.builder().text(MarkdownTextObject.builder().text(cut(body, SECTION_LIMIT))
                    .build()).build());
        }
        Message message = new Message();
        message.setText(cut(SafeText.fold(render("slack-alert", "text", values)), SECTION_LIMIT));
        message.setBlocks(blocks);
        return message;
    }

    /** The summary as an email for the {@code smtp:} endpoint: To (the destination), Subject, text and HTML. */
    public void email(@org.apache.camel.Variable("summary") SummaryDelivery delivery, org.apache.camel.Message message) {
        message.removeHeaders("*");
        message.setHeader("To", delivery.destination());
        message.setHeader("Auto-Submitted", "auto-generated");
        message.setHeader("X-Auto-Response-Suppress", "OOF, AutoReply");
        message.setHeader("Subject", SafeText.line(render("email-alert", "subject",
                values(delivery.report(), text -> text)), SUBJECT_LIMIT));
        message.setHeader(org.apache.camel.component.mail.MailConstants.MAIL_ALTERNATIVE_BODY,
                tidy(render("email-alert", "text", values(delivery.report(), text -> text))));
        message.setBody(SafeText.clean(render("email-alert", "html",
                values(delivery.report(), EmailAlertComposer::escapeHtml))));
    }

    private String render(String template, String label, Map<String, Object> values) {
        if (templates.hasLabelled(template, PART)) {
            String part = templates.renderEach(template, PART, values).get(label);
            if (part != null) {
                return part;
            }
        }
        StringWriter out = new StringWriter();
        defaults.get(template + "." + label).execute(out, values);
        return out.toString();
    }

    /** What a template's summary part can show; text from Phrase (TM names) escaped by {@code escape}. */
    Map<String, Object> values(SummaryReport report, UnaryOperator<String> escape) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("from", WHEN.format(report.from()));
        values.put("to", WHEN.format(report.to()));
        values.put("rounds", report.rounds());
        values.put("checks", report.totalChecks());
        values.put("outcomes", report.checks().entrySet().stream().filter(entry -> entry.getValue() > 0)
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", ")));
        List<Map<String, Object>> byOutcome = new ArrayList<>();
        report.checks().forEach((outcome, count) -> byOutcome.add(Map.of("outcome", outcome, "count", count)));
        values.put("byOutcome", byOutcome);
        values.put("failed", report.failedTasks());
        values.put("stuck", report.stuckTasks());
        values.put("stillOpen", report.stillOpen());
        values.put("resolved", report.resolved());
        values.put("hasResolved", report.resolved() > 0);
        values.put("medianToResolve", report.medianToResolve() == null ? "-" : words(report.medianToResolve()));
        values.put("worstToResolve", report.worstToResolve() == null ? "-" : words(report.worstToResolve()));
        List<Map<String, Object>> failing = new ArrayList<>();
        for (SummaryReport.TmFailures tm : report.failingMost()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("tmUid", escape.apply(tm.tmUid()));
            item.put("tmName", escape.apply(tm.tmName() == null || tm.tmName().isEmpty() ? tm.tmUid() : tm.tmName()));
            item.put("count", tm.count());
            item.put("tmUrl", AlertValues.tmUrl(tm.tmUid(), escape, links));
            failing.add(item);
        }
        values.put("failingMost", failing);
        values.put("hasFailingMost", !failing.isEmpty());
        List<Map<String, Object>> problems = new ArrayList<>();
        for (SummaryReport.ProblemSpan problem : report.problems()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("key", escape.apply(problem.key()));
            item.put("since", WHEN.format(problem.since()));
            item.put("lasted", words(problem.lasted()));
            item.put("ongoing", problem.ongoing());
            problems.add(item);
        }
        values.put("problems", problems);
        values.put("hasProblems", !problems.isEmpty());
        return values;
    }

    /** A duration as people say it: 2d 3h, 3h 20m, 30m, 45s. */
    static String words(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        List<String> parts = new ArrayList<>();
        if (days > 0) {
            parts.add(days + "d");
        }
        if (hours > 0) {
            parts.add(hours + "h");
        }
        if (minutes > 0 && days == 0) {
            parts.add(minutes + "m");
        }
        return String.join(" ", parts);
    }

    private static String tidy(String text) {
        return SafeText.clean(text).replaceAll(" +\n", "\n").replaceAll("\n{3,}", "\n\n").strip();
    }

    private static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
    }

    /** For log lines and tests: the instant as summaries show it. */
    static String when(Instant instant) {
        return WHEN.format(instant);
    }
}
