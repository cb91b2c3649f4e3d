package io.github.phrasetmmonitor.tools;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static io.github.phrasetmmonitor.support.PhraseDocuments.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.ShippedRoutes;
import io.github.phrasetmmonitor.support.SlackApiRecorder;
import io.github.phrasetmmonitor.support.SlackRecorder;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator tools (issue 12 items 1-3), run in-process as the jar runs them, on the shipped files or a copy of
 * them, against the test bed's sinks: a Slack recorder per webhook, GreenMail, a WireMock Phrase.
 */
class OperatorToolsTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @TempDir
    Path opsDir;

    SlackRecorder legalSlack;

    @BeforeEach
    void legalWebhook() throws IOException {
        legalSlack = new SlackRecorder();
    }

    @AfterEach
    void stop() {
        legalSlack.close();
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

    /** The test bed's settings, with the shipped routes' example rules turned on in a copy and its legal webhook. */
    private Map<String, String> withTheExampleRules() throws IOException {
        Path routes = copy(Path.of("routes"), opsDir.resolve("routes"), "*.camel.yaml");
        ShippedRoutes.turnOnTheExample(routes);
        Map<String, String> settings = bed.settings();
        settings.put("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/*.camel.yaml");
        settings.put("alert.slack.webhook-url.legal", legalSlack.webhookUrl());
        return settings;
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
    void validateFindsNothingInTheShippedFilesAndWritesNothing() {
        Path stateDir = opsDir.resolve("state-not-created");
        Map<String, String> settings = bed.settings();
        settings.put("monitor.state-dir", stateDir.toString());

        Run validate = run(settings, "validate");

        assertThat(validate.exitCode()).as("%s%s", validate.out(), validate.err()).isZero();
        assertThat(validate.lines()).containsExactly(
                "validate: no problem found in the settings, 12 route files and the templates");
        assertThat(stateDir).as("validate creates no state directory").doesNotExist();
        assertThat(bed.slack().attempts()).isZero();
        assertThat(bed.phrase().server().getAllServeEvents()).as("validate contacts nothing").isEmpty();
    }

    @Test
    void validateListsEverySeededMistakeOfABrokenCopyWithItsFileAndLine() throws IOException {
        Path deployment = opsDir.resolve("deployment");
        Path routes = copy(Path.of("routes"), deployment.resolve("routes"), "*.camel.yaml");
        copy(Path.of("templates"), deployment.resolve("templates"), "*.yaml");
        // a bad key value, and a second one: every problem is listed, not the first only
        Path properties = deployment.resolve("application.properties");
        Files.writeString(properties, Files.readString(Path.of("application.properties"))
                .replace("monitor.cron=0 0/5 * * * ?", "monitor.cron=every five minutes")
                .replace("alert.digest-threshold=5", "alert.digest-threshold=none"));
        // an unparsable route of ops' own: a flow sequence left open
        Path phraseApi = routes.resolve("own-rules.camel.yaml");
        Files.writeString(phraseApi, "- route:\n    id: log-cancelled\n    from:\n"
                + "      uri: [direct:task-checked\n      steps:\n        - log: cancelled\n");
        // a template with a syntax error: a section that is never closed
        Path slackAlert = deployment.resolve("templates/slack-alert.yaml");
        String wording = Files.readString(slackAlert);
        String header = wording.lines().filter(line -> line.startsWith("header: ")).findFirst().orElseThrow();
        assertThat(header).contains("{{/reminder}}");
        Files.writeString(slackAlert, wording.replace(header, header.replace("{{/reminder}}", "")));
        // a rule naming a webhook that is not set: the example rules turned on, without alert.slack.webhook-url.legal
        ShippedRoutes.turnOnTheExample(routes);
        Map<String, String> settings = bed.settings();
        settings.remove("monitor.cron");

        Run validate = run(deployment, settings, "validate");

        assertThat(validate.exitCode()).as("%s%s", validate.out(), validate.err()).isEqualTo(1);
        List<String> props = Files.readAllLines(properties);
        List<String> routing = Files.readAllLines(routes.resolve("alert-routing.camel.yaml"));
        List<String> api = Files.readAllLines(phraseApi);
        int cronLine = props.indexOf("monitor.cron=every five minutes") + 1;
        int digestLine = props.indexOf("alert.digest-threshold=none") + 1;
        int legalLine = setVariableLine(routing, "constant: legal");
        int openLine = indexOfContaining(api, "uri: [direct:task-checked") + 1;
        assertThat(validate.lines()).as(validate.out())
                .anySatisfy(line -> assertThat(line).startsWith("application.properties:" + cronLine
                        + ": monitor.cron 'every five minutes' is not a Quartz cron expression"))
                .anySatisfy(line -> assertThat(line).startsWith("application.properties:" + digestLine
                        + ": alert.digest-threshold 'none' is not a whole number"))
                .anySatisfy(line -> assertThat(line).startsWith("routes/own-rules.camel.yaml:").contains(": not YAML:"))
                .anySatisfy(line -> assertThat(line).contains("slack-alert.yaml part 'header' does not compile"))
                .anySatisfy(line -> assertThat(line).isEqualTo("routes/alert-routing.camel.yaml:" + legalLine
                        + ": a routing rule sends to Slack webhook 'legal', whose URL is not set: set"
                        + " alert.slack.webhook-url.legal (env ALERT_SLACK_WEBHOOK_URL_LEGAL)"));
        assertThat(validate.lines()).filteredOn(line -> line.startsWith("routes/own-rules.camel.yaml:"))
                .singleElement().asString().matches("routes/own-rules\\.camel\\.yaml:\\d+:\\d+: not YAML: .*")
                .satisfies(line -> assertThat(Integer.parseInt(line.split(":")[1])).isBetween(openLine, openLine + 3));
        assertThat(validate.lines()).last().isEqualTo("validate: 5 problems found");
        assertThat(bed.phrase().server().getAllServeEvents()).as("validate contacts nothing").isEmpty();
    }

    /** Issue 20, item 2: five mistakes in the settings, found in one reading, each with its key and line. */
    @Test
    void validateReportsFiveSeededMistakesInTheSettingsAtOnceWithTheirLines() throws IOException {
        Path deployment = opsDir.resolve("deployment");
        copy(Path.of("routes"), deployment.resolve("routes"), "*.camel.yaml");
        copy(Path.of("templates"), deployment.resolve("templates"), "*.yaml");
        Map<String, String> mistakes = new LinkedHashMap<>();
        mistakes.put("phrase.max-retries", "three");
        mistakes.put("monitor.cron", "every five minutes");
        mistakes.put("monitor.max-answer-size", "2 parsecs");
        mistakes.put("alert.send-resolved", "yes");
        mistakes.put("alert.email.timeout", "soon");
        String shipped = Files.readString(Path.of("application.properties"));
        for (Map.Entry<String, String> mistake : mistakes.entrySet()) {
            shipped = shipped.replaceFirst("(?m)^" + Pattern.quote(mistake.getKey()) + "=.*$",
                    mistake.getKey() + "=" + mistake.getValue());
        }
        Path properties = Files.writeString(deployment.resolve("application.properties"), shipped);
        Map<String, String> settings = bed.settings();
        mistakes.keySet().forEach(settings::remove);

        Run validate = run(deployment, settings, "validate");

        assertThat(validate.exitCode()).as("%s%s", validate.out(), validate.err()).isEqualTo(1);
        List<String> props = Files.readAllLines(properties);
        for (Map.Entry<String, String> mistake : mistakes.entrySet()) {
            int line = props.indexOf(mistake.getKey() + "=" + mistake.getValue()) + 1;
            assertThat(validate.lines()).as(validate.out()).anySatisfy(reported -> assertThat(reported)
                    .startsWith("application.properties:" + line + ": " + mistake.getKey() + " '"
                            + mistake.getValue() + "'"));
        }
        assertThat(validate.lines()).last().isEqualTo("validate: 5 problems found");
    }

    @Test
    void validateNamesATemplatePartWithAnUnknownNameWithItsFileAndLine() throws IOException {
        Path deployment = opsDir.resolve("deployment");
        copy(Path.of("routes"), deployment.resolve("routes"), "*.camel.yaml");
        copy(Path.of(""), deployment, "application.properties");
        Path templates = copy(Path.of("templates"), deployment.resolve("templates"), "*.yaml");
        Path problem = templates.resolve("slack-problem.yaml");
        List<String> lines = Files.readAllLines(problem);
        Files.writeString(problem, String.join("\n", lines) + "\ncontxt: \"phrase-tm-monitor ({{problem}})\"\n");

        Run validate = run(deployment, bed.settings(), "validate");

        assertThat(validate.exitCode()).as("%s%s", validate.out(), validate.err()).isEqualTo(1);
        assertThat(validate.lines()).containsExactly(
                problem + ":" + (lines.size() + 1) + ": template part 'contxt' is unknown; slack-problem.yaml has the"
                        + " parts header, text, body, context and may have link, linkText",
                "validate: 1 problem found");
    }

    @Test
    void validateReportsEachWrongSettingOnceAndNothingThatFollowsFromIt() {
        Map<String, String> settings = bed.settings();
        settings.put("alert.slack.webhook-url", "not a url");
        settings.put("phrase.api-token", "a-token-as-well");
        settings.put("proxy.password", "proxy-secret");
        settings.put("alert.slack.webhook-url.finance", "hooks.slack.com/services/no-scheme");

        Run validate = run(settings, "validate");

        assertThat(validate.exitCode()).isEqualTo(1);
        // each line once; the proxy's is placed at the proxy keys in application.properties
        assertThat(validate.lines()).as(validate.out()).hasSize(5).satisfiesExactly(
                line -> assertThat(line).isEqualTo("phrase.api-token and phrase.username/phrase.password are all"
                        + " set; set only one way to sign in to Phrase"),
                line -> assertThat(line).isEqualTo("alert.slack.webhook-url is not an http(s) URL"),
                line -> assertThat(line).matches("application\\.properties:\\d+: proxy\\.username/proxy\\.password are"
                        + " set but proxy\\.host is not"),
                line -> assertThat(line).isEqualTo("alert.slack.webhook-url.finance is not an http(s) URL"),
                line -> assertThat(line).isEqualTo("validate: 4 problems found"));
        assertThat(validate.out()).as("secrets are not shown").doesNotContain("a-token-as-well", "proxy-secret",
                "s3cret-Passw0rd", "no-scheme");
    }

    @Test
    void validateNamesTheLineOfAStepCamelsSchemaDoesNotKnow() throws IOException {
        Path deployment = opsDir.resolve("deployment");
        Path routes = copy(Path.of("routes"), deployment.resolve("routes"), "*.camel.yaml");
        copy(Path.of("templates"), deployment.resolve("templates"), "*.yaml");
        Files.copy(Path.of("application.properties"), deployment.resolve("application.properties"));
        Path routing = routes.resolve("alert-routing.camel.yaml");
        Files.writeString(routing, Files.readString(routing).replace(
                "        - setVariable:\n            name: alertChannels",
                "        - setVariabel:\n            name: alertChannels"));
        int typoLine = Files.readAllLines(routing).indexOf("        - setVariabel:") + 1;

        Run validate = run(deployment, bed.settings(), "validate");

        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.lines()).as(validate.out())
                .anySatisfy(line -> assertThat(line).startsWith("routes/alert-routing.camel.yaml:" + typoLine
                        + ": not valid in Camel's YAML DSL schema at /0/route/from/steps/0"));
    }

    /** The line (from 1) of the setVariable whose constant contains {@code text}. */
    private static int setVariableLine(List<String> lines, String text) {
        int set = indexOfContaining(lines, text);
        while (!lines.get(set).contains("- setVariable:")) {
            set--;
        }
        return set + 1;
    }

    /** The first line that holds {@code text} and is not a comment. */
    private static int indexOfContaining(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text) && !lines.get(i).startsWith("#")) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + text);
    }

    // --- explain ----------------------------------------------------------------------------------------------

    @Test
    void explainOnASavedFailedTaskPrintsTheMatchingRuleAndTheRenderedMessagesAndSendsNothing() throws IOException {
        Map<String, String> settings = withTheExampleRules();
        Path saved = opsDir.resolve("last-task.json");
        Files.writeString(saved, failed("task-legal", "Contract TMX broken"));

        Run explain = run(settings, "explain", "--task", saved.toString(), "--tm-name", "Legal EN-DE",
                "--tm-uid", "tmLegal");

        assertThat(explain.exitCode()).as("%s%s", explain.out(), explain.err()).isZero();
        assertThat(explain.out())
                .contains("TM tmLegal \"Legal EN-DE\": last task task-legal (IMPORT_TMX), status ERROR")
                .contains("Outcome: FAILED")
                .containsPattern("Routing rule: 'legal-tms': Legal TMs to the legal team's channel and mailbox"
                        + " \\(.*alert-routing\\.camel\\.yaml:\\d+, when \\$\\{variable\\.tmName} startsWith 'Legal'\\)")
                .contains("Channels: slack, email")
                .contains("  slack: webhook 'legal' (alert.slack.webhook-url.legal is set)")
                .contains("  email: legal-ops@yourcompany.example")
                // the Slack message as the templates render it
                .contains("--- Slack message to webhook 'legal' ---")
                .contains("# Phrase TM task failed")
                .contains("*Translation memory*: Legal EN-DE")
                .contains("Contract TMX broken")
                // the email
                .contains("--- Email to legal-ops@yourcompany.example ---")
                .contains("Subject: [Phrase TM] IMPORT_TMX failed: Legal EN-DE")
                .contains("Error: Contract TMX broken")
                .contains("Dry run: nothing was sent or recorded.");
        assertThat(explain.out()).as("a webhook URL is a secret").doesNotContain(legalSlack.webhookUrl());
        // nothing reached a sink, nothing asked Phrase, nothing was recorded in the monitor's state directory
        assertThat(legalSlack.attempts()).isZero();
        assertThat(bed.slack().attempts()).isZero();
        assertThat(bed.smtp().getReceivedMessages()).isEmpty();
        assertThat(bed.phrase().server().getAllServeEvents()).isEmpty();
        assertThat(stateFiles()).as("no journal written").doesNotContain(IncidentState.JOURNAL).isEmpty();
    }

    @Test
    void explainFetchesATmLiveAndShowsTheDefaultsWhenNoRuleMatches() throws IOException {
        Map<String, String> settings = withTheExampleRules();
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmMarketing", "Marketing EN-DE")
                .lastTask("tmMarketing", failed("task-marketing", "Campaign TMX broken"))
                .translationMemory("tmDocs", "Docs EN-DE")
                .lastTask("tmDocs", ok("task-docs"));

        Run failure = run(settings, "explain", "tmMarketing");
        Run success = run(settings, "explain", "tmDocs");

        assertThat(failure.exitCode()).as("%s%s", failure.out(), failure.err()).isZero();
        assertThat(failure.out()).contains("TM tmMarketing \"Marketing EN-DE\": last task task-marketing")
                .contains("Outcome: FAILED")
                .contains("Routing rule: none matched; the defaults apply")
                .contains("  slack: webhook 'default' (alert.slack.webhook-url is set)")
                .contains("  email: l10n-ops@example.com")
                .contains("Campaign TMX broken");
        assertThat(success.exitCode()).isZero();
        assertThat(success.out()).contains("Outcome: OK").contains("Nothing is alerted")
                .doesNotContain("--- Slack message");
        assertThat(bed.phrase().server().getAllServeEvents()).as("the TMs were fetched live").isNotEmpty();
        assertThat(bed.slack().attempts() + legalSlack.attempts()).isZero();
        assertThat(bed.smtp().getReceivedMessages()).isEmpty();
        assertThat(stateFiles()).as("no journal written").isEmpty();
    }

    @Test
    void explainShowsATaskRunningPastStuckAfterAsTheStuckAlertItWouldBe() throws IOException {
        Map<String, String> settings = bed.settings();
        settings.put("monitor.stuck-after", "2h");
        Path saved = opsDir.resolve("running.json");
        Files.writeString(saved, running("task-long"));

        Run explain = run(settings, "explain", "--task", saved.toString(), "--tm-name", "Docs EN-DE");

        assertThat(explain.exitCode()).as("%s%s", explain.out(), explain.err()).isZero();
        assertThat(explain.out())
                .contains("Outcome: RUNNING, running longer than monitor.stuck-after: alerted as a stuck task")
                .contains("Routing rule: none matched; the defaults apply")
                .contains("Subject: [Phrase TM] IMPORT_TMX still running: Docs EN-DE");
        assertThat(bed.slack().attempts()).isZero();
        assertThat(bed.smtp().getReceivedMessages()).isEmpty();
        assertThat(stateFiles()).as("no journal written").isEmpty();
    }

    @Test
    void explainSaysInOneLineOfItsOwnThatATmDoesNotExistAndLooksAsIfNothingWasRecorded() {
        bed.phrase().loginIssues("token-1");
        Map<String, String> settings = bed.settings();
        settings.put("phrase.max-retries", "0");

        Run explain;
        List<String> warnings;
        try (LogCapture logs = LogCapture.attach()) {
            explain = run(settings, "explain", "tmMissing");
            // what the command line shows besides the tool's own lines: the log lines quietLogs lets through
            warnings = logs.lines().stream().filter(line -> {
                String[] levelAndLogger = line.split(" ", 3);
                return OperatorTools.shownOnTheCommandLine(levelAndLogger[1], Level.valueOf(levelAndLogger[0]));
            }).toList();
        }

        assertThat(explain.exitCode()).isEqualTo(1);
        assertThat(explain.err().lines()).containsExactly("explain: TM tmMissing could not be explained:"
                + " translation memory tmMissing does not exist or this user cannot see it"
                + " (HTTP 404 on GET /api2/v1/transMemories/tmMissing)");
        assertThat(explain.out()).isEmpty();
        assertThat(warnings).as("no monitor problem is opened, nor seems to be").isEmpty();
    }

    // --- test-alert -------------------------------------------------------------------------------------------

    @Test
    void testAlertReachesEveryDestinationOfEveryChannelAndRecordsNothing() throws Exception {
        Map<String, String> settings = withTheExampleRules();

        Run test = run(settings, "test-alert");

        assertThat(test.exitCode()).as("%s%s", test.out(), test.err()).isZero();
        assertThat(test.lines()).as(test.out()).containsExactly(
                "slack  webhook 'default' (alert.slack.webhook-url): took the test notice",
                "slack  webhook 'legal' (alert.slack.webhook-url.legal): took the test notice",
                "email  l10n-ops@example.com (alert.email.to): took the test notice",
                "email  legal-ops@yourcompany.example (routing rule at " + ruleLine(settings, "legal-ops") + "):"
                        + " took the test notice",
                "email  platform-team@yourcompany.example (routing rule at " + ruleLine(settings, "platform-team")
                        + "): took the test notice",
                "test-alert: 5 of 5 destinations took the test notice; nothing was recorded as an alert");
        assertThat(bed.slack().posts()).singleElement().asString().contains("Test notice from phrase-tm-monitor")
                .contains("webhook 'default'").doesNotContain("task failed");
        assertThat(legalSlack.posts()).singleElement().asString().contains("Test notice from phrase-tm-monitor")
                .contains("webhook 'legal'");
        MimeMessage[] mails = bed.smtp().getReceivedMessages();
        assertThat(mails).hasSize(3);
        assertThat(Arrays.stream(mails).map(MonitorTestBed::subject))
                .containsOnly("[Phrase TM] Test notice: nothing has failed");
        assertThat(Arrays.stream(mails).map(OperatorToolsTest::recipient)).containsExactlyInAnyOrder(
                "l10n-ops@example.com", "legal-ops@yourcompany.example", "platform-team@yourcompany.example");
        assertThat(stateFiles()).as("nothing recorded as an alert").isEmpty();
    }

    @Test
    void testAlertFailsNamingTheDestinationThatIsDownAfterTheChannelsRetries() throws Exception {
        Map<String, String> settings = withTheExampleRules();
        legalSlack.answerWith(500);

        Run test = run(settings, "test-alert");

        assertThat(test.exitCode()).as("%s%s", test.out(), test.err()).isEqualTo(1);
        assertThat(test.lines()).as(test.out())
                .contains("slack  webhook 'default' (alert.slack.webhook-url): took the test notice")
                .contains("slack  webhook 'legal' (alert.slack.webhook-url.legal): NOT delivered: Slack answered"
                        + " HTTP 500: server_error")
                .contains("email  l10n-ops@example.com (alert.email.to): took the test notice")
                .last().isEqualTo("test-alert: 4 of 5 destinations took the test notice; nothing was recorded as"
                        + " an alert");
        assertThat(legalSlack.attempts()).as("the retry rule of the channel: alert.delivery.retries=1").isEqualTo(2);
        assertThat(stateFiles()).isEmpty();
    }

    @Test
    void testAlertFailsForARoutingRulesWebhookThatIsNotSet() throws Exception {
        Map<String, String> settings = withTheExampleRules();
        settings.remove("alert.slack.webhook-url.legal");
        settings.put("alert.channels", "slack");

        Run test = run(settings, "test-alert");

        assertThat(test.exitCode()).isEqualTo(1);
        assertThat(test.lines()).as(test.out()).containsExactly(
                "slack  webhook 'default' (alert.slack.webhook-url): took the test notice",
                "slack  webhook 'legal' (routing rule at " + ruleLine(settings, "constant: legal") + "): NOT"
                        + " delivered: Slack webhook 'legal' is not configured: set alert.slack.webhook-url.legal"
                        + " (env ALERT_SLACK_WEBHOOK_URL_LEGAL)",
                "test-alert: 1 of 2 destinations took the test notice; nothing was recorded as an alert");
    }

    /** Slack app mode: the rules' names are channels (alert.slack.channel.<name>), posted with the bot token. */
    @Test
    void inSlackAppModeTheToolsCheckAndReachTheChannels() throws Exception {
        try (SlackApiRecorder api = new SlackApiRecorder()) {
            Map<String, String> settings = withTheExampleRules();
            settings.remove("alert.slack.webhook-url.legal");
            settings.put("alert.slack.bot-token", "xoxb-tools-test");
            settings.put("alert.slack.channel", "C0ALERTS");
            settings.put("alert.slack.api-url", api.apiUrl());

            Run unset = run(settings, "validate");
            settings.put("alert.slack.channel.legal", "C0LEGAL");
            Run set = run(settings, "validate");
            Run test = run(settings, "test-alert");

            assertThat(unset.exitCode()).isEqualTo(1);
            assertThat(unset.lines()).as(unset.out()).hasSize(2);
            assertThat(unset.lines().get(0)).endsWith("alert-routing.camel.yaml:" + ruleLine(settings, "constant: legal")
                    .replaceFirst(".*:", "") + ": a routing rule sends to Slack channel 'legal', whose channel is not"
                    + " set: set alert.slack.channel.legal (env ALERT_SLACK_CHANNEL_LEGAL)");
            assertThat(unset.lines().get(1)).isEqualTo("validate: 1 problem found");
            assertThat(set.exitCode()).as("no webhook URL is needed in app mode: %s", set.out()).isZero();
            assertThat(test.exitCode()).as("%s%s", test.out(), test.err()).isZero();
            assertThat(test.lines()).as(test.out()).startsWith(
                    "slack  channel 'default' (alert.slack.channel): took the test notice",
                    "slack  channel 'legal' (alert.slack.channel.legal): took the test notice")
                    .last().isEqualTo("test-alert: 5 of 5 destinations took the test notice; nothing was recorded as"
                            + " an alert");
            assertThat(api.taken("chat.postMessage")).extracting(call -> call.field("channel"))
                    .containsExactly("C0ALERTS", "C0LEGAL");
            assertThat(api.taken("chat.postMessage")).allSatisfy(call -> assertThat(call.body().toString())
                    .contains("Test notice from phrase-tm-monitor"));
            assertThat(bed.slack().attempts() + legalSlack.attempts()).as("no webhook in app mode").isZero();
            assertThat(stateFiles()).isEmpty();
        }
    }

    @Test
    void aToolNeedsItsOwnArgumentsOnly() {
        assertThat(OperatorTools.isTool(new String[] {"--profile", "demo", "validate"})).isTrue();
        assertThat(OperatorTools.isTool(new String[] {"--profile", "demo"})).isFalse();
        assertThat(run(bed.settings(), "validate", "extra").exitCode()).isEqualTo(2);
        assertThat(run(bed.settings(), "explain", "--task", "x.json").exitCode()).as("--tm-name is missing")
                .isEqualTo(2);
    }

    /** "routes/…/alert-routing.camel.yaml:<line>" of the setVariable whose constant contains {@code text}. */
    private static String ruleLine(Map<String, String> settings, String text) throws IOException {
        String pattern = settings.get("camel.main.routes-include-pattern").replaceFirst("^file:", "");
        Path file = Path.of(pattern).getParent().resolve("alert-routing.camel.yaml");
        return file.toAbsolutePath() + ":" + setVariableLine(Files.readAllLines(file), text);
    }

    private static String recipient(MimeMessage mail) {
        try {
            return mail.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
