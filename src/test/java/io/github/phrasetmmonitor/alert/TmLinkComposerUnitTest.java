package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.model.Message;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import io.github.phrasetmmonitor.settings.TmLinks;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.ProblemFacts;
import io.github.phrasetmmonitor.state.Routing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 24, item 3: every alert, reminder, digest line and resolved notice links to the TM in Phrase - a button in
 * Slack, a link in the text and the HTML of an email - with the data centre of phrase.base-url, and none when
 * alert.phrase-tm-url is off.
 */
class TmLinkComposerUnitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EU = "https://cloud.memsource.com/web/transMemory/show/";
    private static final String US = "https://us.cloud.memsource.com/web/transMemory/show/";
    /** A uid no Phrase gives, with what would break out of a URL, a Slack link, an HTML attribute or a JSON string. */
    private static final String HOSTILE_UID = "x\"><script>|<!channel>&y=1 #z";
    private static final String HOSTILE_UID_ESCAPED = "x%22%3E%3Cscript%3E%7C%3C%21channel%3E%26y%3D1%20%23z";

    private static TmLinks links(String region) {
        return MonitorSettings.from(key -> Optional.ofNullable(Map.of("phrase.api-token", "t", "phrase.region", region,
                "alert.slack.webhook-url", "https://hooks.example/x").get(key))).tmLinks();
    }

    private static Incident failure(String tmUid, String tmName) {
        return Incident.detected(new FailureFacts(tmName, tmUid, "task-42", "IMPORT_TMX", "2024-01-02 03:00:00 UTC",
                        "ERROR", "TMX_INVALID", "The TMX file is not valid", List.of(), null, null),
                new Routing(List.of("slack", "email"), Map.of("slack", "default", "email", "ops@example.com")),
                Instant.parse("2024-01-02T03:04:05Z"));
    }

    private static Notice notice(Notice.Kind kind, String channel, Incident... incidents) {
        return new Notice(kind, channel, channel.equals("slack") ? "default" : "ops@example.com", null,
                List.of(incidents));
    }

    private static Incident resolved(Incident failure) {
        return failure.withResolution(new Incident.Resolution("task-43", "IMPORT_TMX", "2024-01-02 03:30:00 UTC",
                Instant.parse("2024-01-02T03:30:00Z"), Set.of()));
    }

    /** Every actions block's buttons in the message as Slack reads it (the webhook's JSON). */
    private static List<JsonNode> buttons(Message message) throws Exception {
        List<JsonNode> buttons = new ArrayList<>();
        for (JsonNode block : JSON.readTree(SlackWebhooks.json(message)).get("blocks")) {
            if (block.get("type").asText().equals("actions")) {
                block.get("elements").forEach(buttons::add);
            }
        }
        return buttons;
    }

    @Test
    void aSlackAlertReminderAndResolvedNoticeEndInAButtonToTheTmOfTheDataCentre() throws Exception {
        for (String region : List.of("eu", "us")) {
            SlackAlertComposer slack = new SlackAlertComposer(AlertTestData.shippedTemplates(), links(region));
            String page = (region.equals("eu") ? EU : US) + "tmGlossary";
            Incident failure = failure("tmGlossary", "Glossary EN-DE");
            for (Notice notice : List.of(notice(Notice.Kind.ALERT, "slack", failure),
                    notice(Notice.Kind.REMINDER, "slack", failure),
                    notice(Notice.Kind.RESOLVED, "slack", resolved(failure)))) {
                Message message = slack.compose(notice);

                assertThat(buttons(message)).as(region + " " + notice.kind()).singleElement().satisfies(button -> {
                    assertThat(button.get("type").asText()).isEqualTo("button");
                    assertThat(button.get("url").asText()).isEqualTo(page);
                    assertThat(button.at("/text/type").asText()).isEqualTo("plain_text");
                    assertThat(button.at("/text/text").asText()).isEqualTo("Open in Phrase");
                });
            }
            assertThat(buttons(slack.resolvedAlert(notice(Notice.Kind.ALERT, "slack", failure))))
                    .as("app mode's edit of a resolved alert keeps its button").hasSize(1);
        }
    }

    @Test
    void aSlackDigestNamesEachTmAsALinkToIt() throws Exception {
        SlackAlertComposer slack = new SlackAlertComposer(AlertTestData.shippedTemplates(), links("us"));

        Message digest = slack.compose(notice(Notice.Kind.DIGEST, "slack", failure("tmA", "Legal EN-DE"),
                failure("tmB", "Docs EN-JA")));

        assertThat(SlackWebhooks.json(digest)).contains("*<" + US + "tmA|Legal EN-DE>* (tmA)",
                "*<" + US + "tmB|Docs EN-JA>* (tmB)");
        assertThat(buttons(digest)).as("a digest links each line, not one TM").isEmpty();
    }

    @Test
    void aProblemAboutOneTmLinksItAndOneAboutTheAccountDoesNot() throws Exception {
        SlackAlertComposer slack = new SlackAlertComposer(AlertTestData.shippedTemplates(), links("eu"));
        Instant since = Instant.parse("2024-01-02T03:00:00Z");
        Incident tmGone = Incident.detected(new ProblemFacts("tm-not-found:tmGone", "tmGone", "Old TM",
                "TM Old TM (tmGone)", "Phrase answers 404 for this TM", since, "HTTP 404"), since);
        Incident account = Incident.detected(new ProblemFacts("credentials", null, null, "the Phrase account",
                "Phrase refuses the credentials", since, "HTTP 401"), since);

        assertThat(buttons(slack.compose(notice(Notice.Kind.ALERT, "slack", tmGone)))).singleElement()
                .satisfies(button -> assertThat(button.get("url").asText()).isEqualTo(EU + "tmGone"));
        assertThat(buttons(slack.compose(notice(Notice.Kind.ALERT, "slack", account)))).isEmpty();
        assertThat(SlackWebhooks.json(slack.compose(notice(Notice.Kind.DIGEST, "slack", tmGone, account))))
                .contains("*<" + EU + "tmGone|TM Old TM (tmGone)>*", "*the Phrase account*");
    }

    @Test
    void withLinksOffThereIsNoButtonAndNoLink() throws Exception {
        SlackAlertComposer slack = new SlackAlertComposer(AlertTestData.shippedTemplates(), TmLinks.NONE);
        EmailAlertComposer email = new EmailAlertComposer(AlertTestData.shippedTemplates(), new NoticeMessageId(""),
                TmLinks.NONE);
        Incident failure = failure("tmGlossary", "Glossary EN-DE");

        assertThat(buttons(slack.compose(notice(Notice.Kind.ALERT, "slack", failure)))).isEmpty();
        assertThat(SlackWebhooks.json(slack.compose(notice(Notice.Kind.DIGEST, "slack", failure, failure))))
                .contains("*Glossary EN-DE* (tmGlossary)").doesNotContain("transMemory");
        for (Notice notice : List.of(notice(Notice.Kind.ALERT, "email", failure),
                notice(Notice.Kind.DIGEST, "email", failure, failure))) {
            assertThat(email.text(notice)).doesNotContain("transMemory", "In Phrase");
            assertThat(email.html(notice)).doesNotContain("transMemory", "<a ");
        }
    }

    @Test
    void anEmailLinksTheTmInItsTextAndItsHtml() {
        EmailAlertComposer email = new EmailAlertComposer(AlertTestData.shippedTemplates(), new NoticeMessageId(""),
                links("eu"));
        Incident failure = failure("tmGlossary", "Glossary EN-DE");

        for (Notice notice : List.of(notice(Notice.Kind.ALERT, "email", failure),
                notice(Notice.Kind.REMINDER, "email", failure),
                notice(Notice.Kind.RESOLVED, "email", resolved(failure)))) {
            assertThat(email.text(notice)).as(notice.kind().toString()).contains("In Phrase: " + EU + "tmGlossary\n");
            assertThat(email.html(notice)).as(notice.kind().toString())
                    .contains("<a href=\"" + EU + "tmGlossary\">Open the TM in Phrase</a>");
        }
        Notice digest = notice(Notice.Kind.DIGEST, "email", failure, failure("tmDocs", "Docs EN-JA"));
        assertThat(email.text(digest)).contains("In Phrase: " + EU + "tmGlossary\n", "In Phrase: " + EU + "tmDocs\n");
        assertThat(email.html(digest)).contains("<a href=\"" + EU + "tmGlossary\">Glossary EN-DE</a>",
                "<a href=\"" + EU + "tmDocs\">Docs EN-JA</a>");
    }

    @Test
    void aHostileUidStaysInsideItsLink() throws Exception {
        Incident failure = failure(HOSTILE_UID, "Glossary");
        SlackAlertComposer slack = new SlackAlertComposer(AlertTestData.shippedTemplates(), links("eu"));
        EmailAlertComposer email = new EmailAlertComposer(AlertTestData.shippedTemplates(), new NoticeMessageId(""),
                links("eu"));

        assertThat(buttons(slack.compose(notice(Notice.Kind.ALERT, "slack", failure)))).singleElement()
                .satisfies(button -> assertThat(button.get("url").asText()).isEqualTo(EU + HOSTILE_UID_ESCAPED));
        String digest = SlackWebhooks.json(slack.compose(notice(Notice.Kind.DIGEST, "slack", failure, failure)));
        assertThat(digest).contains("<" + EU + HOSTILE_UID_ESCAPED + "|Glossary>").doesNotContain("<!channel>",
                "<script>");
        String html = email.html(notice(Notice.Kind.ALERT, "email", failure));
        assertThat(html).contains("<a href=\"" + EU + HOSTILE_UID_ESCAPED + "\">").doesNotContain("<script>");
        assertThat(email.text(notice(Notice.Kind.ALERT, "email", failure)))
                .contains("In Phrase: " + EU + HOSTILE_UID_ESCAPED + "\n");
    }

    @Test
    void aTemplateOfOwnWithAQueryStringIsAButtonAsWritten() throws Exception {
        TmLinks own = MonitorSettings.from(key -> Optional.ofNullable(Map.of("phrase.api-token", "t",
                "alert.slack.webhook-url", "https://hooks.example/x",
                "alert.phrase-tm-url", "https://sso.example/go?app=phrase&tm={tmUid}").get(key))).tmLinks();
        SlackAlertComposer slack = new SlackAlertComposer(AlertTestData.shippedTemplates(), own);
        EmailAlertComposer email = new EmailAlertComposer(AlertTestData.shippedTemplates(), new NoticeMessageId(""),
                own);
        Incident failure = failure("tm1", "Glossary");

        assertThat(buttons(slack.compose(notice(Notice.Kind.ALERT, "slack", failure)))).singleElement()
                .satisfies(button -> assertThat(button.get("url").asText())
                        .as("Slack's escaping is for its markup, not a button's URL")
                        .isEqualTo("https://sso.example/go?app=phrase&tm=tm1"));
        assertThat(SlackWebhooks.json(slack.compose(notice(Notice.Kind.DIGEST, "slack", failure, failure))))
                .as("in a Slack link, & is written as Slack asks").contains("<https://sso.example/go?app=phrase&amp;tm=tm1|");
        assertThat(email.html(notice(Notice.Kind.ALERT, "email", failure)))
                .contains("<a href=\"https://sso.example/go?app=phrase&amp;tm=tm1\">");
    }
}
