package io.github.phrasetmmonitor.tools;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.VendorPayloads;
import io.github.phrasetmmonitor.support.VendorStub;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate, explain and test-alert for a channel declared in routes/ (issue 22): the PagerDuty example, run
 * in-process as the jar runs the tools, on the shipped files or a copy of them, against a stub of PagerDuty's Events
 * API that answers as PagerDuty documents ({@link VendorPayloads}).
 */
class OperatorToolsChannelsTest {

    private static final String ROUTING_KEY = "e93facc04764012d7bfb002500d5d1a6";
    private static final String LEGAL_ROUTING_KEY = "f1e2d3c4b5a69788776655443322110f";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @TempDir
    Path opsDir;

    VendorStub pagerDuty;

    @BeforeEach
    void stub() throws IOException {
        pagerDuty = new VendorStub("/v2/enqueue", VendorPayloads::pagerDutyAnswer);
    }

    @AfterEach
    void stop() {
        pagerDuty.close();
    }

    /** What a tool printed and its exit code. */
    private record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run run(Path dir, Map<String, String> settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new OperatorTools(dir, settings).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(Map<String, String> settings, String... args) {
        return run(Path.of(""), settings, args);
    }

    /** The test bed's settings with PagerDuty a channel, pointed at the stub, its routing key set. */
    private Map<String, String> withPagerDuty() {
        Map<String, String> settings = bed.settings();
        settings.put("alert.channels", "slack,pagerduty");
        settings.put("alert.pagerduty.events-url", pagerDuty.url());
        settings.put("alert.pagerduty.routing-key", ROUTING_KEY);
        return settings;
    }

    /** The shipped files copied to a deployment directory, where ops would edit them. */
    private Path deployment() throws IOException {
        Path deployment = opsDir.resolve("deployment");
        copy(Path.of("routes"), deployment.resolve("routes"), "*.camel.yaml");
        copy(Path.of("templates"), deployment.resolve("templates"), "*.yaml");
        copy(Path.of(""), deployment, "application.properties");
        return deployment;
    }

    private static Path copy(Path from, Path to, String glob) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.newDirectoryStream(from, glob)) {
            for (Path file : files) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    private List<String> stateFiles() throws IOException {
        try (Stream<Path> files = Files.list(bed.stateDir())) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    // --- validate ---------------------------------------------------------------------------------------------

    @Test
    void validateNamesTheRoutingKeyOfAConfiguredPagerDutyThatIsNotSet() {
        Map<String, String> settings = withPagerDuty();
        settings.remove("alert.pagerduty.routing-key");

        Run validate = run(settings, "validate");

        assertThat(validate.exitCode()).as("%s%s", validate.out(), validate.err()).isEqualTo(1);
        assertThat(validate.lines()).as(validate.out()).hasSize(2);
        assertThat(validate.lines().get(0)).startsWith("channels: alert.pagerduty.routing-key is not set")
                .contains("pagerduty", "(env ALERT_PAGERDUTY_ROUTING_KEY)");
        assertThat(validate.lines().get(1)).isEqualTo("validate: 1 problem found");
        assertThat(pagerDuty.requests()).as("validate contacts nothing").isEmpty();
    }

    @Test
    void validateFindsNothingWhenPagerDutyIsConfigured() {
        Run validate = run(withPagerDuty(), "validate");

        assertThat(validate.exitCode()).as("%s%s", validate.out(), validate.err()).isZero();
        assertThat(validate.lines()).singleElement().asString().startsWith("validate: no problem found");
        assertThat(validate.out()).doesNotContain(ROUTING_KEY);
    }

    @Test
    void validateNamesAPagerDutyTemplateWithAnUnknownPart() throws IOException {
        Path deployment = deployment();
        Path template = deployment.resolve("templates/pagerduty-alert.yaml");
        List<String> lines = Files.readAllLines(template);
        Files.writeString(template, String.join("\n", lines) + "\nsubject: \"{{tmName}}\"\n");

        Run validate = run(deployment, withPagerDuty(), "validate");

        assertThat(validate.exitCode()).as("%s%s", validate.out(), validate.err()).isEqualTo(1);
        assertThat(validate.lines()).as(validate.out()).hasSize(2);
        assertThat(validate.lines().get(0)).startsWith("channels: ").contains(template.toString())
                .contains("'subject'");
        assertThat(validate.lines().get(1)).isEqualTo("validate: 1 problem found");
    }

    @Test
    void validateNamesAPagerDutyTemplateWhoseMustacheIsBroken() throws IOException {
        Path deployment = deployment();
        Path template = deployment.resolve("templates/pagerduty-alert.yaml");
        String wording = Files.readString(template);
        assertThat(wording).contains("{{/incidents}}");
        Files.writeString(template, wording.replace("{{/incidents}}", ""));

        Run validate = run(deployment, withPagerDuty(), "validate");

        assertThat(validate.exitCode()).as("%s%s", validate.out(), validate.err()).isEqualTo(1);
        assertThat(validate.lines()).as(validate.out()).hasSize(2);
        assertThat(validate.lines().get(0)).startsWith("channels: ").contains("pagerduty-alert.yaml")
                .contains("does not compile");
        assertThat(validate.lines().get(1)).isEqualTo("validate: 1 problem found");
    }

    @Test
    void validateNamesTheRoutingKeyOfAPagerDutyServiceARoutingRuleNamesUntilItIsSet() throws IOException {
        Path deployment = deployment();
        Path rules = deployment.resolve("routes/alert-routing.camel.yaml");
        String marker = "        # your routing rules: a choice here (see the example above)\n";
        String shipped = Files.readString(rules);
        assertThat(shipped).contains(marker);
        Files.writeString(rules, shipped.replace(marker, """
                        - choice:
                            when:
                              - id: legal-pages
                                description: Legal TMs page the legal service
                                simple: "${variable.tmName} startsWith 'Legal'"
                                steps:
                                  - setVariable:
                                      name: pagerdutyTo
                                      constant: legal
                """));
        int ruleLine = Files.readAllLines(rules).indexOf("                  - setVariable:") + 1;
        Map<String, String> settings = withPagerDuty();

        Run unset = run(deployment, settings, "validate");
        settings.put("alert.pagerduty.routing-key.legal", LEGAL_ROUTING_KEY);
        Run set = run(deployment, settings, "validate");

        assertThat(unset.exitCode()).as("%s%s", unset.out(), unset.err()).isEqualTo(1);
        assertThat(unset.lines()).as(unset.out()).containsExactly(
                "routes/alert-routing.camel.yaml:" + ruleLine + ": a routing rule sends to pagerduty 'legal', whose"
                        + " routing-key is not set: set alert.pagerduty.routing-key.legal (env"
                        + " ALERT_PAGERDUTY_ROUTING_KEY_LEGAL)",
                "validate: 1 problem found");
        assertThat(set.exitCode()).as("%s%s", set.out(), set.err()).isZero();
        assertThat(set.out()).doesNotContain(LEGAL_ROUTING_KEY, ROUTING_KEY);
    }

    // --- explain ----------------------------------------------------------------------------------------------

    @Test
    void explainPrintsThePagerDutyEventAsItWouldBeSentWithTheRoutingKeyMasked() throws IOException {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmDocs", "Docs EN-DE")
                .lastTask("tmDocs", failed("task-docs", "Docs TMX broken"));

        Run explain = run(withPagerDuty(), "explain", "tmDocs");

        assertThat(explain.exitCode()).as("%s%s", explain.out(), explain.err()).isZero();
        assertThat(explain.out()).contains("Outcome: FAILED")
                .contains("Channels: slack, pagerduty")
                .contains("--- Pagerduty message to default ---")
                .contains("\"routing_key\": \"****\"")
                .contains("\"event_action\": \"trigger\"")
                .contains("\"summary\": \"Phrase TM task failed: Docs EN-DE (tmDocs)\"")
                .contains("Docs TMX broken")
                .contains("Dry run: nothing was sent or recorded.")
                .doesNotContain(ROUTING_KEY);
        String event = explain.out().substring(explain.out().indexOf("--- Pagerduty message to default ---"));
        event = event.substring(event.indexOf('\n') + 1, event.indexOf("\n---"));
        JsonNode json = VendorPayloads.json(event);
        assertThat(json.path("payload").path("severity").asText()).isIn(VendorPayloads.SEVERITIES);
        assertThat(pagerDuty.requests()).as("explain sends nothing").isEmpty();
        assertThat(bed.slack().attempts()).isZero();
        assertThat(stateFiles()).as("no journal written").isEmpty();
    }

    // --- test-alert -------------------------------------------------------------------------------------------

    @Test
    void testAlertReachesPagerDutyWithOneEventAndRecordsNothing() throws Exception {
        Map<String, String> settings = withPagerDuty();
        settings.put("alert.channels", "pagerduty");

        Run test = run(settings, "test-alert");

        assertThat(test.exitCode()).as("%s%s", test.out(), test.err()).isZero();
        assertThat(test.lines()).as(test.out()).containsExactly(
                "pagerduty default (alert.pagerduty.*): took the test notice, and its resolved notice, which closes"
                        + " it there",
                "test-alert: 1 of 1 destination took the test notice; nothing was recorded as an alert");
        // the trigger, then the resolve of the same dedup_key: the test pages nobody for long
        assertThat(pagerDuty.requests()).hasSize(2).allSatisfy(post -> {
            assertThat(post.status()).isEqualTo(202);
            assertThat(VendorPayloads.pagerDutyViolations(post.body())).as(post.body()).isEmpty();
            assertThat(VendorPayloads.json(post.body()).path("routing_key").asText()).isEqualTo(ROUTING_KEY);
        });
        JsonNode trigger = VendorPayloads.json(pagerDuty.requests().get(0).body());
        JsonNode resolve = VendorPayloads.json(pagerDuty.requests().get(1).body());
        assertThat(pagerDuty.requests().get(0).body()).contains("Test notice");
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.path("dedup_key").asText()).isEqualTo(trigger.path("dedup_key").asText());
        assertThat(test.out()).doesNotContain(ROUTING_KEY);
        assertThat(stateFiles()).as("nothing recorded as an alert").isEmpty();
    }

    @Test
    void testAlertSaysWhatPagerDutyAnsweredWhenItRefusesTheEvent() {
        Map<String, String> settings = withPagerDuty();
        settings.put("alert.channels", "pagerduty");
        pagerDuty.answerWith(VendorStub.Answer.of(400, "{\"status\":\"invalid event\",\"message\":\"Event object is"
                + " invalid\",\"errors\":[\"routing_key " + ROUTING_KEY + " is not active\"]}"));

        Run test = run(settings, "test-alert");

        assertThat(test.exitCode()).isEqualTo(1);
        assertThat(test.lines()).as(test.out()).first().asString()
                .startsWith("pagerduty default (alert.pagerduty.*): NOT delivered: Pagerduty answered HTTP 400")
                .contains("Event object is invalid", "not retried");
        assertThat(test.out()).doesNotContain(ROUTING_KEY);
        assertThat(pagerDuty.requests()).as("a 400 is final: one attempt").hasSize(1);
    }
}
