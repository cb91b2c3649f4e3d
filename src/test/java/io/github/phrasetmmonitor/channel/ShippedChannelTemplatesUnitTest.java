package io.github.phrasetmmonitor.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.alert.AlertDeliveryException;
import io.github.phrasetmmonitor.alert.AlertTestData;
import io.github.phrasetmmonitor.alert.Notice;
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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example channels' shipped templates render every kind of notice - alert, reminder, fallback, resolved, digest,
 * resolved digest, problem, problem digest - as JSON their receivers can read, even for a task whose name and errors
 * bring quotes, backslashes, control characters and 100,000 characters.
 */
class ShippedChannelTemplatesUnitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-02T04:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {"pagerduty", "teams", "alertmanager"})
    void everyKindOfNoticeRendersAsJson(String channel) throws Exception {
        ChannelSettings settings = new ChannelSettings(key -> key.equals("alert." + channel + ".routing-key")
                ? java.util.Optional.of("R0UTINGKEY\"quoted\"") : java.util.Optional.empty());
        settings.declare(Map.of(channel, new ChannelDeclaration(channel, "", List.of(
                new ChannelDeclaration.Parameter("routing-key", "Secret.", null, true, true),
                new ChannelDeclaration.Parameter("severity", "", "error", false, false)), "")));
        ChannelMessages messages = new ChannelMessages(settings, CLOCK);
        List<String> problems = new ArrayList<>();
        messages.load(Path.of("templates"), Set.of(channel), problems);
        assertThat(problems).isEmpty();

        for (Notice notice : notices(channel)) {
            String body = messages.render(notice);
            JsonNode json = JSON.readTree(body);
            assertThat(json).as(notice.summary() + ":\n" + body).isNotNull();
            switch (channel) {
                case "pagerduty" -> {
                    assertThat(json.get("routing_key").asText()).isEqualTo("R0UTINGKEY\"quoted\"");
                    assertThat(json.get("event_action").asText()).isEqualTo(
                            notice.kind() == Notice.Kind.RESOLVED ? "resolve" : "trigger");
                    assertThat(json.get("dedup_key").asText()).startsWith("phrase-tm-monitor/");
                    if (notice.kind() != Notice.Kind.RESOLVED) {
                        assertThat(json.at("/payload/summary").asText()).isNotBlank().hasSizeLessThan(1024);
                        assertThat(json.at("/payload/source").asText()).isEqualTo("phrase-tm-monitor");
                        assertThat(json.at("/payload/severity").asText()).isEqualTo("error");
                    }
                }
                case "teams" -> {
                    assertThat(json.get("type").asText()).isEqualTo("message");
                    JsonNode card = json.at("/attachments/0");
                    assertThat(card.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
                    assertThat(card.at("/content/type").asText()).isEqualTo("AdaptiveCard");
                    assertThat(card.at("/content/body").isArray()).isTrue();
                    assertThat(card.at("/content/body").size()).isPositive();
                }
                default -> {
                    assertThat(json.isArray()).isTrue();
                    assertThat(json.size()).isEqualTo(notice.incidents().size());
                    for (JsonNode alert : json) {
                        assertThat(alert.at("/labels/alertname").asText()).startsWith("PhraseTm");
                        assertThat(alert.at("/labels/incident").asText()).isNotBlank();
                        if (notice.isAboutProblem() && notice.incident().problem().tmUid() != null) {
                            assertThat(alert.at("/labels/tm_uid").asText()).as("a TM's problem names it")
                                    .isEqualTo(notice.incident().problem().tmUid());
                        }
                        assertThat(Instant.parse(alert.get("startsAt").asText())).isNotNull();
                        Instant ends = Instant.parse(alert.get("endsAt").asText());
                        assertThat(ends).as("endsAt").isEqualTo(notice.kind() == Notice.Kind.RESOLVED
                                ? notice.incident().resolution().at() : Instant.parse("2024-01-02T04:15:00Z"));
                    }
                }
            }
        }
    }

    /** A routing rule's destination without its own secret: nothing is rendered, so nothing goes out without it. */
    @Test
    void aNamedDestinationWithoutItsRoutingKeyIsRefusedNamingTheSettingNotRenderedWithoutIt() {
        ChannelSettings settings = new ChannelSettings(key -> key.equals("alert.pagerduty.routing-key")
                ? java.util.Optional.of("R0UTINGKEYofTheDefaultService000") : java.util.Optional.empty());
        settings.declare(Map.of("pagerduty", new ChannelDeclaration("pagerduty", "", List.of(
                new ChannelDeclaration.Parameter("routing-key", "Secret.", null, true, true),
                new ChannelDeclaration.Parameter("severity", "", "error", false, false)), "")));
        ChannelMessages messages = new ChannelMessages(settings, CLOCK);
        messages.load(Path.of("templates"), Set.of("pagerduty"), new ArrayList<>());
        Incident failed = AlertTestData.record(AlertTestData.failure("Glossary", "Broken TMX", "d", null));

        assertThatThrownBy(() -> messages.render(new Notice(Notice.Kind.ALERT, "pagerduty", "legal", null,
                List.of(failed))))
                .isInstanceOfSatisfying(AlertDeliveryException.class, refused -> assertThat(refused.verdict())
                        .isEqualTo(io.github.phrasetmmonitor.alert.AlertChannel.Verdict.FINAL))
                .hasMessageContaining("alert.pagerduty.routing-key.legal")
                .hasMessageContaining("ALERT_PAGERDUTY_ROUTING_KEY_LEGAL")
                .hasMessageNotContaining("R0UTINGKEYofTheDefaultService000");
        assertThat(messages.render(new Notice(Notice.Kind.ALERT, "pagerduty", "default", null, List.of(failed))))
                .contains("R0UTINGKEYofTheDefaultService000");
    }

    private static List<Notice> notices(String channel) {
        Incident failed = AlertTestData.record(AlertTestData.hostileFailure());
        Incident plain = AlertTestData.record(AlertTestData.failure("Glossary", "Broken \"TMX\" \\ file", "d", null));
        Incident resolved = plain.withResolution(new Incident.Resolution("task-43", "IMPORT_TMX",
                "2024-01-02 03:30:00 UTC", Instant.parse("2024-01-02T03:30:00Z"), Set.of()));
        Incident problem = Incident.detected(new ProblemFacts("phrase-unavailable", null, null, "Phrase",
                "Phrase answers 503 \"busy\"", Instant.parse("2024-01-02T03:00:00Z"), "HTTP 503"),
                Instant.parse("2024-01-02T03:00:00Z")).withRouting(new Routing(List.of(channel),
                Map.of(channel, "default")));
        List<Notice> notices = new ArrayList<>();
        notices.add(new Notice(Notice.Kind.ALERT, channel, "default", null, List.of(failed)));
        notices.add(new Notice(Notice.Kind.REMINDER, channel, "default", null, List.of(plain)));
        notices.add(new Notice(Notice.Kind.ALERT, channel, "default", "slack", List.of(plain)));
        notices.add(new Notice(Notice.Kind.RESOLVED, channel, "default", null, List.of(resolved)));
        notices.add(new Notice(Notice.Kind.DIGEST, channel, "default", null, List.of(failed, plain)));
        notices.add(new Notice(Notice.Kind.RESOLVED, channel, "default", null, List.of(resolved, resolved)));
        notices.add(new Notice(Notice.Kind.ALERT, channel, "default", null, List.of(problem)));
        notices.add(new Notice(Notice.Kind.DIGEST, channel, "default", null, List.of(problem, problem)));
        Incident ofOneTm = Incident.detected(new ProblemFacts("tm-not-found:tmGone", "tmGone", "Gone TM", "TM tmGone",
                "TM tmGone does not exist", Instant.parse("2024-01-02T03:00:00Z"), "HTTP 404"),
                Instant.parse("2024-01-02T03:00:00Z")).withRouting(new Routing(List.of(channel),
                Map.of(channel, "default")));
        notices.add(new Notice(Notice.Kind.ALERT, channel, "default", null, List.of(ofOneTm)));
        return notices;
    }
}
