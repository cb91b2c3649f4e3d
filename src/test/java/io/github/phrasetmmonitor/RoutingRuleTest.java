package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.ShippedRoutes;
import io.github.phrasetmmonitor.support.SlackRecorder;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Who is told is decided by the routing rules in routes/alert-routing.camel.yaml; editing them is enough. */
class RoutingRuleTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @TempDir
    Path opsDir;

    SlackRecorder legalSlack;

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmLegal", "Legal EN-DE")
                .lastTask("tmLegal", failed("task-legal", "Contract TMX broken"))
                .translationMemory("tmMarketing", "Marketing EN-DE")
                .lastTask("tmMarketing", failed("task-marketing", "Campaign TMX broken"));
        legalSlack = new SlackRecorder();
    }

    @AfterEach
    void stop() {
        legalSlack.close();
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settingsWatching("tmLegal,tmMarketing");
        settings.put("alert.slack.webhook-url.legal", legalSlack.webhookUrl());
        return settings;
    }

    private static List<String> recipients(MimeMessage mail) throws Exception {
        return Arrays.stream(mail.getAllRecipients()).map(Object::toString).toList();
    }

    private MimeMessage mailAbout(String tmName) throws Exception {
        for (MimeMessage mail : bed.smtp().getReceivedMessages()) {
            if (mail.getSubject().endsWith(tmName)) {
                return mail;
            }
        }
        throw new AssertionError("no mail about " + tmName);
    }

    /** Issue 10, item 1: the shipped routes act on no example; a TM named like one goes to the defaults. */
    @Test
    void theShippedRoutesSendATmNamedLikeTheExampleToTheDefaults() throws Exception {
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 2
                    && bed.smtp().getReceivedMessages().length == 2);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(legalSlack.posts()).as("even with a legal webhook configured, no shipped rule uses it").isEmpty();
        assertThat(bed.slack().posts()).anySatisfy(post -> assertThat(post).contains("Legal EN-DE"))
                .anySatisfy(post -> assertThat(post).contains("Marketing EN-DE"));
        assertThat(recipients(mailAbout("Legal EN-DE"))).containsExactly("l10n-ops@example.com");
        assertThat(recipients(mailAbout("Marketing EN-DE"))).containsExactly("l10n-ops@example.com");
    }

    @Test
    void theExampleTurnedOnAndEditedSendsALegalTmsFailureToItsOwnRecipients() throws Exception {
        Path routes = copyOfTheShippedRoutes();
        Path rules = routes.resolve("alert-routing.camel.yaml");
        String original = ShippedRoutes.withTheExampleTurnedOn(Files.readString(rules));
        String edited = original.replace("""
                                  - setVariable:
                                      name: emailTo
                                      constant: "legal-ops@yourcompany.example"
                """, """
                                  - setVariable:
                                      name: emailTo
                                      constant: "contracts@example.com, counsel@example.com"
                                  - setVariable:
                                      name: alertChannels
                                      constant: email
                """);
        assertThat(edited).as("the example rule has the expected shape").isNotEqualTo(original);
        Files.writeString(rules, edited);
        Map<String, String> settings = settings();
        settings.put("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/*.camel.yaml");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            // GreenMail keeps one copy per recipient: the Legal mail to two people, the Marketing mail to one
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 3);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(recipients(mailAbout("Legal EN-DE"))).containsExactly("contracts@example.com", "counsel@example.com");
        assertThat(recipients(mailAbout("Marketing EN-DE"))).containsExactly("l10n-ops@example.com");
        assertThat(legalSlack.posts()).as("the edited rule sends Legal TMs by email only").isEmpty();
        assertThat(bed.slack().posts()).singleElement().asString().contains("Marketing EN-DE");
    }

    /** Issue 9, item 3: a rule in the YAML tells the monitor's problems apart and sends them to another mailbox. */
    @Test
    void aRuleEditedInTheYamlSendsTheMonitorsProblemsToThePlatformTeamOnly() throws Exception {
        Path routes = copyOfTheShippedRoutes();
        Path rules = routes.resolve("alert-routing.camel.yaml");
        // the example's second rule: the monitor's own problems to the platform team's mailbox only
        String edited = ShippedRoutes.withTheExampleTurnedOn(Files.readString(rules));
        Files.writeString(rules, edited);
        bed.phrase().server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                "/web/api2/v1/transMemories/tmGone").willReturn(
                io.github.phrasetmmonitor.support.PhraseApiStub.status(404).withBody("{\"errorCode\":\"NotFound\"}")));
        Map<String, String> settings = bed.settingsWatching("tmMarketing,tmGone");
        settings.put("monitor.problem-check-interval", "300ms");
        settings.put("phrase.max-retries", "0");
        settings.put("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/*.camel.yaml");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 2);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).as("the problem is not on Slack").singleElement().asString()
                .contains("Marketing EN-DE");
        assertThat(bed.mailSubjects()).contains("[Phrase TM] Monitor problem: TM tmGone");
        MimeMessage problem = Arrays.stream(bed.smtp().getReceivedMessages())
                .filter(mail -> MonitorTestBed.subject(mail).contains("Monitor problem")).findFirst().orElseThrow();
        assertThat(recipients(problem)).containsExactly("platform-team@yourcompany.example");
        assertThat(recipients(mailAbout("Marketing EN-DE"))).containsExactly("l10n-ops@example.com");
    }

    /** The shipped routes, copied where ops would edit them. */
    private Path copyOfTheShippedRoutes() throws java.io.IOException {
        Path routes = Files.createDirectories(opsDir.resolve("routes"));
        try (var shipped = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
            for (Path route : shipped) {
                Files.copy(route, routes.resolve(route.getFileName()));
            }
        }
        return routes;
    }
}
