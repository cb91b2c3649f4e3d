package io.github.phrasetmmonitor.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.alert.AlertTestData;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import io.github.phrasetmmonitor.settings.TmLinks;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.ProblemFacts;
import io.github.phrasetmmonitor.state.Routing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 24, item 3: the example channels carry the link to the TM in Phrase where their receiver takes one -
 * PagerDuty's links, a Teams card's Action.OpenUrl, Alertmanager's generatorURL - and leave it out, still as JSON,
 * when links are off or the notice is about no TM.
 */
class ChannelTmLinksUnitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-02T04:00:00Z"), ZoneOffset.UTC);
    private static final String US = "https://us.cloud.memsource.com/web/transMemory/show/";
    private static final TmLinks US_LINKS = MonitorSettings.from(key -> Optional.ofNullable(Map.of(
            "phrase.api-token", "t", "phrase.region", "us", "alert.slack.webhook-url", "https://hooks.example/x")
            .get(key))).tmLinks();

    private static ChannelMessages messages(String channel, TmLinks links) {
        // the declaration below makes routing-key required for each channel: it is set for each
        ChannelSettings settings = new ChannelSettings(key -> key.endsWith(".routing-key")
                ? Optional.of("R0UTINGKEY") : Optional.empty());
        settings.declare(Map.of(channel, new ChannelDeclaration(channel, "", List.of(
                new ChannelDeclaration.Parameter("routing-key", "Secret.", null, true, true),
                new ChannelDeclaration.Parameter("severity", "", "error", false, false)), "")));
        ChannelMessages messages = new ChannelMessages(settings, CLOCK, links);
        List<String> problems = new ArrayList<>();
        messages.load(Path.of("templates"), Set.of(channel), problems);
        assertThat(problems).isEmpty();
        return messages;
    }

    private static Incident failure(String tmUid, String tmName) {
        return Incident.detected(new FailureFacts(tmName, tmUid, "task-42", "IMPORT_TMX", null, "ERROR", null,
                        "The TMX \"file\" is not valid", List.of(), null, null),
                new Routing(List.of("pagerduty"), Map.of("pagerduty", "default")), Instant.parse("2024-01-02T03:00:00Z"));
    }

    private static Incident accountProblem() {
        Instant since = Instant.parse("2024-01-02T03:00:00Z");
        return Incident.detected(new ProblemFacts("phrase-unavailable", null, null, "Phrase", "Phrase answers 503",
                since, "HTTP 503"), since);
    }

    private static JsonNode render(ChannelMessages messages, Notice.Kind kind, String channel, Incident... incidents)
            throws Exception {
        String body = messages.render(new Notice(kind, channel, "default", null, List.of(incidents)));
        return JSON.readTree(body);
    }

    @Test
    void pagerDutyTriggersLinkTheTm() throws Exception {
        ChannelMessages pagerduty = messages("pagerduty", US_LINKS);

        JsonNode alert = render(pagerduty, Notice.Kind.ALERT, "pagerduty", failure("tmA", "Legal"));
        assertThat(alert.at("/links/0/href").asText()).isEqualTo(US + "tmA");
        assertThat(alert.at("/links/0/text").asText()).isEqualTo("Open the TM in Phrase");
        assertThat(render(pagerduty, Notice.Kind.REMINDER, "pagerduty", failure("tmA", "Legal")).at("/links/0/href")
                .asText()).isEqualTo(US + "tmA");
        JsonNode digest = render(pagerduty, Notice.Kind.DIGEST, "pagerduty", failure("tmA", "Legal"),
                failure("tmB", "Docs"));
        assertThat(digest.at("/payload/custom_details/incidents/0/tm_url").asText()).isEqualTo(US + "tmA");
        assertThat(digest.at("/payload/custom_details/incidents/1/tm_url").asText()).isEqualTo(US + "tmB");
        assertThat(render(pagerduty, Notice.Kind.ALERT, "pagerduty", accountProblem()).has("links"))
                .as("a problem about no TM links nothing").isFalse();
        assertThat(render(messages("pagerduty", TmLinks.NONE), Notice.Kind.ALERT, "pagerduty", failure("tmA", "Legal"))
                .has("links")).as("links off").isFalse();
    }

    @Test
    void aTeamsCardOpensTheTm() throws Exception {
        ChannelMessages teams = messages("teams", US_LINKS);
        Incident failure = failure("tmA", "Legal");

        for (JsonNode card : List.of(render(teams, Notice.Kind.ALERT, "teams", failure),
                render(teams, Notice.Kind.RESOLVED, "teams", failure.withResolution(new Incident.Resolution(
                        "task-43", "IMPORT_TMX", null, Instant.parse("2024-01-02T03:30:00Z"), Set.of()))))) {
            JsonNode action = card.at("/attachments/0/content/actions/0");
            assertThat(action.get("type").asText()).isEqualTo("Action.OpenUrl");
            assertThat(action.get("url").asText()).isEqualTo(US + "tmA");
            assertThat(action.get("title").asText()).isEqualTo("Open in Phrase");
        }
        JsonNode digest = render(teams, Notice.Kind.DIGEST, "teams", failure, failure("tmB", "Docs"));
        assertThat(digest.at("/attachments/0/content/body/1/facts/1/value").asText())
                .endsWith("[Open in Phrase](" + US + "tmB)");
        assertThat(render(teams, Notice.Kind.ALERT, "teams", accountProblem()).at("/attachments/0/content")
                .has("actions")).isFalse();
        assertThat(render(messages("teams", TmLinks.NONE), Notice.Kind.ALERT, "teams", failure)
                .at("/attachments/0/content").has("actions")).isFalse();
    }

    @Test
    void eachAlertmanagerAlertHasTheTmAsItsGeneratorUrl() throws Exception {
        ChannelMessages alertmanager = messages("alertmanager", US_LINKS);

        JsonNode alerts = render(alertmanager, Notice.Kind.DIGEST, "alertmanager", failure("tmA", "Legal"),
                failure("tmB", "Docs"));
        assertThat(alerts.get(0).get("generatorURL").asText()).isEqualTo(US + "tmA");
        assertThat(alerts.get(1).get("generatorURL").asText()).isEqualTo(US + "tmB");
        assertThat(render(alertmanager, Notice.Kind.ALERT, "alertmanager", accountProblem()).get(0)
                .has("generatorURL")).isFalse();
        assertThat(render(messages("alertmanager", TmLinks.NONE), Notice.Kind.ALERT, "alertmanager",
                failure("tmA", "Legal")).get(0).has("generatorURL")).isFalse();
    }

    @Test
    void everyIncidentOfADeclaredChannelHasItsTmUrl() {
        ChannelMessages messages = messages("alertmanager", US_LINKS);
        Instant since = Instant.parse("2024-01-02T03:00:00Z");
        Incident tmGone = Incident.detected(new ProblemFacts("tm-not-found:tmGone", "tmGone", null, "TM tmGone",
                "Phrase answers 404 for this TM", since, "HTTP 404"), since);

        assertThat(incidents(messages, AlertTestData.record(AlertTestData.hostileFailure()), failure("tmB", "Docs")))
                .extracting(incident -> incident.get("tmUrl")).containsExactly(US + "tm-uid-1", US + "tmB");
        assertThat(incidents(messages, tmGone, accountProblem())).extracting(incident -> incident.get("tmUrl"))
                .as("a problem about one TM links it, one about the account nothing")
                .containsExactly(US + "tmGone", null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> incidents(ChannelMessages messages, Incident... incidents) {
        return (List<Map<String, Object>>) messages.values(new Notice(Notice.Kind.DIGEST, "alertmanager", "default",
                null, List.of(incidents))).get("incidents");
    }
}
