package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.phrasetmmonitor.support.FreePort;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.StateFile;
import io.github.phrasetmmonitor.support.VendorPayloads;
import io.github.phrasetmmonitor.support.VendorStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 3: the example channels PagerDuty (Events API v2) and Microsoft Teams (a Workflows webhook), run end
 * to end in the real monitor against local stubs that answer as the vendors document: 202 for a payload of the
 * documented shape, 400 for any other ({@link VendorPayloads}). Only their files in routes/ and templates/ make them.
 */
class ExampleChannelsTest {

    /** PagerDuty Integration Keys are 32 characters; the stub refuses any other length, as PagerDuty does. */
    private static final String ROUTING_KEY = "e93facc04764012d7bfb002500d5d1a6";
    private static final String LEGAL_ROUTING_KEY = "f1e2d3c4b5a69788776655443322110f";
    private static final String SIGNATURE = "Zk9yVGVhbXNXb3JrZmxvd1NpZ25hdHVyZQ";
    private static final String WORKFLOW_PATH = "/workflows/5f0c2b7e/triggers/manual/paths/invoke";
    private static final String WORKFLOW_QUERY = "api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig="
            + SIGNATURE;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @TempDir
    Path opsDir;

    VendorStub pagerDuty;
    VendorStub teams;

    @BeforeEach
    void stubs() throws IOException {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tm1", "Glossary EN-DE")
                .lastTask("tm1", failed("task-7", "TMX broken"));
        pagerDuty = new VendorStub("/v2/enqueue", VendorPayloads::pagerDutyAnswer);
        // a workflow's URL is only valid with its signature: without it Azure answers 401
        teams = new VendorStub(WORKFLOW_PATH, request -> request.query() != null
                && request.query().contains("sig=" + SIGNATURE) ? VendorPayloads.teamsAnswer(request)
                : VendorStub.Answer.of(401, "{\"error\":{\"code\":\"DirectApiAuthorizationRequired\"}}"));
    }

    @AfterEach
    void stop() {
        pagerDuty.close();
        teams.close();
    }

    private Map<String, String> withPagerDuty(String tmUids) {
        Map<String, String> settings = bed.settingsWatching(tmUids);
        settings.put("alert.channels", "pagerduty");
        settings.put("alert.pagerduty.events-url", pagerDuty.url());
        settings.put("alert.pagerduty.routing-key", ROUTING_KEY);
        return settings;
    }

    private Map<String, String> withTeams() {
        Map<String, String> settings = bed.settingsWatching("tm1");
        settings.put("alert.channels", "teams");
        settings.put("alert.teams.workflow-url", teams.url("?" + WORKFLOW_QUERY));
        return settings;
    }

    // --- PagerDuty --------------------------------------------------------------------------------------------

    @Test
    void aFailedTaskTriggersOneEventAndTheNextSuccessfulTaskResolvesItWithTheSameDedupKey() throws Exception {
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(withPagerDuty("tm1"))) {
            await().atMost(WAIT).until(() -> pagerDuty.requests().size() == 1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(pagerDuty.requests()).as("taken once: no second post in later rounds").hasSize(1);
            VendorStub.Request trigger = pagerDuty.requests().get(0);
            assertThat(trigger.method()).isEqualTo("POST");
            assertThat(trigger.contentType()).startsWith("application/json");
            assertThat(VendorPayloads.pagerDutyViolations(trigger.body())).as(trigger.body()).isEmpty();
            assertThat(trigger.status()).isEqualTo(202);
            JsonNode event = VendorPayloads.json(trigger.body());
            assertThat(event.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
            assertThat(event.path("event_action").asText()).isEqualTo("trigger");
            String dedupKey = event.path("dedup_key").asText();
            assertThat(dedupKey).isNotBlank().hasSizeLessThanOrEqualTo(255).contains("tm1", "task-7");
            JsonNode payload = event.path("payload");
            assertThat(payload.path("summary").asText()).hasSizeLessThanOrEqualTo(1024)
                    .isEqualTo("Phrase TM task failed: Glossary EN-DE (tm1)");
            assertThat(payload.path("source").asText()).isNotBlank();
            assertThat(payload.path("severity").asText()).isIn(VendorPayloads.SEVERITIES).isEqualTo("error");
            assertThat(payload.path("custom_details").path("error").asText()).contains("TMX broken");
            assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactly("pagerduty:tm1:task-7");
            assertThat(logs.linesContaining("Pagerduty alert for TM tm1 task task-7 sent")).hasSize(1);

            bed.phrase().lastTask("tm1", ok("task-8"));
            await().atMost(WAIT).until(() -> pagerDuty.requests().size() == 2);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(pagerDuty.requests()).as("one resolve event, once").hasSize(2);
            VendorStub.Request resolve = pagerDuty.requests().get(1);
            assertThat(VendorPayloads.pagerDutyViolations(resolve.body())).as(resolve.body()).isEmpty();
            JsonNode resolved = VendorPayloads.json(resolve.body());
            assertThat(resolved.path("event_action").asText()).isEqualTo("resolve");
            assertThat(resolved.path("dedup_key").asText()).as("resolves the alert it triggered").isEqualTo(dedupKey);
            assertThat(resolved.path("routing_key").asText()).as("on the same service").isEqualTo(ROUTING_KEY);
            assertThat(resolve.status()).isEqualTo(202);

            assertTheSecretIsNowhere(monitor, logs, ROUTING_KEY);
        }
    }

    @Test
    void a429IsTriedAgainAfterItsRetryAfterWithinTheRoundAndDeliveredOnce() throws Exception {
        pagerDuty.answerNext(VendorStub.Answer.retryAfter(429, "1"));
        try (RunningMonitor monitor = RunningMonitor.start(withPagerDuty("tm1"))) {
            await().atMost(WAIT).until(() -> pagerDuty.taken().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        List<VendorStub.Request> attempts = pagerDuty.requests();
        assertThat(attempts).extracting(VendorStub.Request::status).containsExactly(429, 202);
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at()))
                .as("Retry-After: 1 was waited for, not the 50 ms retry delay").isGreaterThan(Duration.ofMillis(900));
        assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactly("pagerduty:tm1:task-7");
    }

    @Test
    void a503IsTriedAgainAndDeliveredOnce() throws Exception {
        pagerDuty.answerNext(VendorStub.Answer.of(503, "{\"status\":\"unavailable\"}"));
        try (RunningMonitor monitor = RunningMonitor.start(withPagerDuty("tm1"))) {
            await().atMost(WAIT).until(() -> pagerDuty.taken().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(pagerDuty.requests()).extracting(VendorStub.Request::status).containsExactly(503, 202);
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactly("pagerduty:tm1:task-7");
    }

    @Test
    void a400IsFinalWarnsOnceWithTheAnswerButNotTheKeyAndTheNextRoundTriesAgain() throws Exception {
        // PagerDuty's answer to an event it refuses; this one quotes the key, which the line must not
        pagerDuty.answerWith(VendorStub.Answer.of(400, "{\"status\":\"invalid event\",\"message\":\"Event object is"
                + " invalid\",\"errors\":[\"routing_key " + ROUTING_KEY + " is not active\"]}"));
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(withPagerDuty("tm1"))) {
            await().atMost(WAIT).until(() -> !logs.linesContaining("not delivered").isEmpty());
            assertNoAttemptWithoutItsLine(pagerDuty, logs);
            String warning = logs.linesContaining("not delivered").get(0);
            assertThat(warning).startsWith("WARN ").contains("pagerduty alert for TM tm1 task task-7 not delivered")
                    .contains("HTTP 400", "not retried", "Event object is invalid", "routing_key **** is not active")
                    .doesNotContain(ROUTING_KEY);
            assertThat(StateFile.deliveredAlerts(bed.stateDir())).as("not recorded as sent").isEmpty();

            await().atMost(WAIT).until(() -> pagerDuty.requests().size() >= 2);
            pagerDuty.answerWith(null);
            await().atMost(WAIT).until(() -> pagerDuty.taken().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(pagerDuty.taken()).as("taken once, then never again").hasSize(1);
            assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactly("pagerduty:tm1:task-7");
            assertTheSecretIsNowhere(monitor, logs, ROUTING_KEY);
        }
    }

    @Test
    void whatPagerDutyRefusesGoesToTheFallbackChannelMarkedAsAFallback() throws Exception {
        pagerDuty.answerWith(VendorStub.Answer.of(400, "{\"status\":\"invalid event\",\"message\":\"Event object is"
                + " invalid\",\"errors\":[\"'payload.source' is missing or blank\"]}"));
        Map<String, String> settings = withPagerDuty("tm1");
        settings.put("alert.fallback-channel", "slack");
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(WAIT).until(() -> bed.slack().posts().size() == 1);
            assertNoAttemptWithoutItsLine(pagerDuty, logs);
            // a pass that began before Slack's answer was recorded may still try PagerDuty; later ones do not
            assertThat(monitor.awaitRounds(1, 30)).isTrue();
            int tried = pagerDuty.requests().size();
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(pagerDuty.requests()).as("once the fallback took it, PagerDuty is not tried again")
                    .hasSize(tried);
        }
        assertThat(bed.slack().posts()).singleElement().asString().contains("Glossary EN-DE", "task-7")
                .contains("could not be delivered on Pagerduty");
        assertThat(pagerDuty.taken()).isEmpty();
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactly("pagerduty:tm1:task-7");
    }

    @Test
    void aRoutingRuleSettingPagerdutyToPagesTheNamedServiceWithItsOwnKey() throws Exception {
        bed.phrase().translationMemory("tmLegal", "Legal EN-DE")
                .lastTask("tmLegal", failed("task-legal", "Contract TMX broken"));
        Map<String, String> settings = withPagerDuty("tm1,tmLegal");
        settings.put("camel.main.routes-include-pattern", "file:" + routesWithTheLegalRule() + "/*.camel.yaml");
        settings.put("alert.pagerduty.routing-key.legal", LEGAL_ROUTING_KEY);
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(WAIT).until(() -> pagerDuty.taken().size() == 2);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertTheSecretIsNowhere(monitor, logs, LEGAL_ROUTING_KEY);
        }
        assertThat(pagerDuty.requests()).hasSize(2);
        assertThat(pagerDuty.taken()).allSatisfy(body -> assertThat(VendorPayloads.pagerDutyViolations(body)).isEmpty());
        assertThat(eventAbout("tmLegal").path("routing_key").asText()).isEqualTo(LEGAL_ROUTING_KEY);
        assertThat(eventAbout("tm1").path("routing_key").asText()).as("no rule matched: the default key")
                .isEqualTo(ROUTING_KEY);
    }

    @Test
    void aRoutingRulesDestinationWithoutItsKeyIsNeverPagedWithTheDefaultsKeyNorWithNone() throws Exception {
        bed.phrase().translationMemory("tmLegal", "Legal EN-DE")
                .lastTask("tmLegal", failed("task-legal", "Contract TMX broken"));
        Map<String, String> settings = withPagerDuty("tmLegal");
        settings.put("camel.main.routes-include-pattern", "file:" + routesWithTheLegalRule() + "/*.camel.yaml");
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(WAIT).until(() -> !logs.linesContaining("not delivered").isEmpty());
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(logs.linesContaining("not delivered").get(0))
                    .contains("alert.pagerduty.routing-key.legal", "ALERT_PAGERDUTY_ROUTING_KEY_LEGAL");
        }
        assertThat(pagerDuty.requests()).as("an event without its service's key is not sent at all").isEmpty();
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).isEmpty();
    }

    // --- Teams ------------------------------------------------------------------------------------------------

    @Test
    void aFailedTaskIsOneAdaptiveCardPostedToTheWorkflowUrlWithItsSignature() throws Exception {
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(withTeams())) {
            await().atMost(WAIT).until(() -> teams.requests().size() == 1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(teams.requests()).as("taken once: no second post in later rounds").hasSize(1);
            VendorStub.Request post = teams.requests().get(0);
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.path()).isEqualTo(WORKFLOW_PATH);
            assertThat(post.query()).isEqualTo(WORKFLOW_QUERY);
            assertThat(post.contentType()).startsWith("application/json");
            assertThat(VendorPayloads.teamsViolations(post.body())).as(post.body()).isEmpty();
            assertThat(post.status()).isEqualTo(202);
            JsonNode message = VendorPayloads.json(post.body());
            assertThat(message.path("type").asText()).isEqualTo("message");
            JsonNode attachment = message.path("attachments").path(0);
            assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
            assertThat(attachment.path("content").path("type").asText()).isEqualTo("AdaptiveCard");
            assertThat(attachment.path("content").path("version").asText()).isNotBlank();
            assertThat(attachment.path("content").path("body").isArray()).isTrue();
            assertThat(attachment.path("content").path("body")).isNotEmpty()
                    .allSatisfy(element -> assertThat(element.path("type").asText()).isNotBlank());
            assertThat(VendorPayloads.cardTexts(post.body())).anySatisfy(text -> assertThat(text)
                    .contains("Glossary EN-DE")).anySatisfy(text -> assertThat(text).contains("TMX broken"));
            assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactly("teams:tm1:task-7");
            assertThat(logs.linesContaining("Teams alert for TM tm1 task task-7 sent")).hasSize(1);
            assertTheSecretIsNowhere(monitor, logs, SIGNATURE);
        }
    }

    @Test
    void aWorkflowsServerErrorIsTriedAgainAndDeliveredOnce() throws Exception {
        teams.answerNext(VendorStub.Answer.of(502, "{\"error\":{\"code\":\"BadGateway\"}}"));
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(withTeams())) {
            await().atMost(WAIT).until(() -> teams.taken().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertTheSecretIsNowhere(monitor, logs, SIGNATURE);
        }
        assertThat(teams.requests()).extracting(VendorStub.Request::status).containsExactly(502, 202);
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactly("teams:tm1:task-7");
    }

    @Test
    void aWorkflowsBadRequestIsFinalAndNotRecorded() throws Exception {
        teams.answerWith(VendorStub.Answer.of(400, "{\"error\":{\"code\":\"InvalidRequestContent\"}}"));
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(withTeams())) {
            await().atMost(WAIT).until(() -> !logs.linesContaining("not delivered").isEmpty());
            assertNoAttemptWithoutItsLine(teams, logs);
            assertThat(logs.linesContaining("not delivered").get(0)).startsWith("WARN ")
                    .contains("HTTP 400", "not retried", "InvalidRequestContent");
            assertThat(StateFile.deliveredAlerts(bed.stateDir())).isEmpty();
            assertTheSecretIsNowhere(monitor, logs, SIGNATURE);
        }
    }

    @Test
    void aRoutingRulesWorkflowThatIsDownIsRetriedWithoutItsSignatureInTheLog() throws Exception {
        String legalSignature = "TGVnYWxUZWFtc1dvcmtmbG93U2lnbmF0dXJl";
        bed.phrase().translationMemory("tmLegal", "Legal EN-DE")
                .lastTask("tmLegal", failed("task-legal", "Contract TMX broken"));
        Map<String, String> settings = withTeams();
        settings.put("monitor.tm-uids", "tmLegal");
        settings.put("camel.main.routes-include-pattern", "file:" + routesWithTheLegalRule("teamsTo")
                + "/*.camel.yaml");
        // nothing listens there: the connection is refused, an IOException, worth a retry (retry-on)
        settings.put("alert.teams.workflow-url.legal", "http://127.0.0.1:" + FreePort.pick()
                + "/workflows/legal/triggers/manual/paths/invoke?sv=1.0&sig=" + legalSignature);
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(WAIT).until(() -> !logs.linesContaining("not delivered").isEmpty());
            assertThat(logs.linesContaining("not delivered").get(0)).contains("teams alert for TM tmLegal")
                    .doesNotContain("not retried");
            assertTheSecretIsNowhere(monitor, logs, legalSignature);
            assertTheSecretIsNowhere(monitor, logs, SIGNATURE);
        }
        assertThat(teams.requests()).as("the legal team's workflow, not the default one").isEmpty();
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).isEmpty();
    }

    // --- inert ------------------------------------------------------------------------------------------------

    @Test
    void theExampleChannelsAreInertUntilConfigured() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tm1");
        settings.put("alert.channels", "slack");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(WAIT).until(() -> bed.slack().posts().size() == 1);
            assertThat(monitor.context().getRoute("send-slack-alert")).isNotNull();
            assertThat(monitor.context().getRoute("deliver-slack")).isNotNull();
            for (String example : List.of("pagerduty", "teams", "alertmanager")) {
                assertThat(monitor.context().getRoute("send-" + example + "-alert")).as(example).isNull();
                assertThat(monitor.context().getRoute("deliver-" + example)).as(example).isNull();
            }
            assertThat(monitor.context().getEndpoints()).extracting(Endpoint::getEndpointUri)
                    .noneMatch(uri -> uri.contains("pagerduty") || uri.contains("logic.azure.com"));
        }
        assertThat(pagerDuty.requests()).isEmpty();
        assertThat(teams.requests()).isEmpty();
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /**
     * A final answer is tried once per delivery pass: each attempt has its own "not delivered" line (a retry within
     * the pass would make two attempts per line). A pass may come soon after another (the round's end, the
     * problem check), so the attempts are counted against the lines, not against one.
     */
    private static void assertNoAttemptWithoutItsLine(VendorStub stub, LogCapture logs) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(stub.requests())
                .as("no retry within a pass: %s", logs.linesContaining("not delivered"))
                .hasSameSizeAs(logs.linesContaining("not delivered")));
        assertThat(logs.linesContaining("not delivered")).allSatisfy(line -> assertThat(line).contains("not retried"));
    }

    /** The secret is in no endpoint Camel knows, no log line, no file of the state dir, no metric. */
    private void assertTheSecretIsNowhere(RunningMonitor monitor, LogCapture logs, String secret) throws IOException {
        List<String> endpoints = new ArrayList<>(monitor.context().getEndpointRegistry().values().stream()
                .map(Endpoint::getEndpointUri).toList());
        monitor.context().getEndpoints().forEach(endpoint -> endpoints.add(endpoint.getEndpointUri()));
        assertThat(endpoints).as("Camel's endpoint registry").isNotEmpty()
                .noneSatisfy(uri -> assertThat(uri).contains(secret));
        assertThat(logs.all()).as("the log").isNotBlank().doesNotContain(secret);
        try (Stream<Path> files = Files.walk(bed.stateDir())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as("state file %s", file).doesNotContain(secret);
            }
        }
        assertThat(Files.readString(StateFile.journal(bed.stateDir()))).as("the journal").isNotBlank();
        Management.Answer metrics = Management.get(monitor.managementUrl() + "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).as("the metrics").contains("phrase_monitor").doesNotContain(secret);
    }

    /** A copy of the shipped routes with one rule on: Legal TMs page the PagerDuty service named legal. */
    private Path routesWithTheLegalRule() throws IOException {
        return routesWithTheLegalRule("pagerdutyTo");
    }

    /** A copy of the shipped routes with one rule on: Legal TMs go to the destination legal of a channel. */
    private Path routesWithTheLegalRule(String channelVariable) throws IOException {
        Path routes = Files.createDirectories(opsDir.resolve("routes"));
        try (var files = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
            for (Path file : files) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path rules = routes.resolve("alert-routing.camel.yaml");
        String marker = "        # your routing rules: a choice here (see the example above)\n";
        String shipped = Files.readString(rules);
        assertThat(shipped).contains(marker);
        Files.writeString(rules, shipped.replace(marker, """
                        - choice:
                            when:
                              - id: legal-pages
                                description: Legal TMs to the legal team's own destination
                                simple: "${variable.tmName} startsWith 'Legal'"
                                steps:
                                  - setVariable:
                                      name: %s
                                      constant: legal
                """.formatted(channelVariable)));
        return routes.toAbsolutePath();
    }

    private JsonNode eventAbout(String tmUid) {
        return pagerDuty.taken().stream().map(VendorPayloads::json)
                .filter(event -> event.path("payload").path("component").asText().equals(tmUid))
                .findFirst().orElseThrow(() -> new AssertionError("no event about " + tmUid));
    }
}
