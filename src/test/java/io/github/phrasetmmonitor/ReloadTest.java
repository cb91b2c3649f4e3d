package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.reload.MonitorReloads;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseDocuments;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.ShippedRoutes;
import io.github.phrasetmmonitor.support.SlackRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, item 2: ops' files reloaded without a restart, on SIGHUP (a real signal to this JVM, handled by the
 * monitor's handler) and on POST /-/reload; a broken edit keeps the configuration in force.
 */
class ReloadTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    /** HTTP/1.1, as Prometheus and curl ask: no h2c upgrade in between. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path opsDir;

    SlackRecorder legalSlack;
    Path routes;
    Path templates;

    @BeforeEach
    void opsFiles() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmMarketing", "Marketing EN-DE")
                .lastTask("tmMarketing", failed("task-marketing", "Campaign TMX broken"))
                .translationMemory("tmLegal", "Legal EN-DE")
                .lastTask("tmLegal", ok("task-legal-ok"));
        legalSlack = new SlackRecorder();
        routes = Files.createDirectories(opsDir.resolve("routes"));
        Files.copy(Path.of("routes", ShippedRoutes.ROUTING_FILE), routes.resolve(ShippedRoutes.ROUTING_FILE));
        templates = Files.createDirectories(opsDir.resolve("templates"));
        try (var files = Files.list(Path.of("templates"))) {
            for (Path file : files.toList()) {
                Files.copy(file, templates.resolve(file.getFileName()));
            }
        }
    }

    @AfterEach
    void stop() {
        legalSlack.close();
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settingsWatching("tmMarketing,tmLegal");
        settings.put("alert.slack.webhook-url.legal", legalSlack.webhookUrl());
        settings.put("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/*.camel.yaml");
        settings.put("alert.templates-dir", templates.toAbsolutePath().toString());
        return settings;
    }

    /** The monitor as the jar starts it, reloads included. */
    private static RunningMonitor start(Map<String, String> settings) throws Exception {
        return RunningMonitor.start(settings, main -> MonitorReloads.install(main, Path.of(""), Optional.empty(),
                settings));
    }

    @Test
    void aRoutingRuleEditAppliedBySighupSendsTheNextFailureWhereTheNewRuleSays() throws Exception {
        try (LogCapture log = LogCapture.attach(); RunningMonitor monitor = start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1
                    && bed.smtp().getReceivedMessages().length == 1);
            Path rules = routes.resolve(ShippedRoutes.ROUTING_FILE);
            Files.writeString(rules, ShippedRoutes.withTheExampleTurnedOn(Files.readString(rules)));

            assertThat(monitor.context().getRegistry().lookupByName("configurationReload"))
                    .as("SIGHUP is the monitor's to handle, else it would end this JVM").isNotNull();
            if (sighupIgnoredByThisJvm()) {
                // started under nohup: the JVM takes no handler for it, and the monitor says so once at start;
                // theMonitorProcessReloadsOnSighupAndKeepsRunning sends the signal to a JVM that can take it
                assertThat(log.linesContaining("SIGHUP is ignored by this process")).hasSize(1);
                assertThat(reload(monitor).statusCode()).isEqualTo(200);
            } else {
                assertThat(log.linesContaining("SIGHUP is ignored")).isEmpty();
                Process hangUp = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                        .start();
                assertThat(hangUp.waitFor()).isZero();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics(monitor)
                    .contains("phrase_monitor_config_reloads_total{outcome=\"success\"} 1.0"));
            assertThat(metrics(monitor)).contains("phrase_monitor_config_last_reload_successful 1.0");
            assertThat(log.linesContaining("Configuration reloaded (")).hasSize(1);

            // the next failure, of a Legal TM: the new rule sends it to the legal webhook and mailbox
            bed.phrase().lastTask("tmLegal", failed("task-legal", "Contract TMX broken"));
            await().atMost(Duration.ofSeconds(20)).until(() -> legalSlack.posts().size() == 1
                    && bed.smtp().getReceivedMessages().length == 2);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(legalSlack.posts()).singleElement().asString().contains("Legal EN-DE");
            assertThat(bed.slack().posts()).as("no restart, no repeat of the earlier alert").singleElement()
                    .asString().contains("Marketing EN-DE");
            assertThat(bed.smtp().getReceivedMessages()).hasSize(2);
            assertThat(Arrays.stream(bed.smtp().getReceivedMessages()).map(mail -> recipients(mail)).toList())
                    .containsExactlyInAnyOrder(List.of("l10n-ops@example.com"),
                            List.of("legal-ops@yourcompany.example"));
        }
    }

    @Test
    void aBrokenEditKeepsTheConfigurationInForceWithOneLinePerProblemAndAFixedOneIsAppliedByPost() throws Exception {
        try (RunningMonitor monitor = start(settings()); LogCapture log = LogCapture.attach()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            Path rules = routes.resolve(ShippedRoutes.ROUTING_FILE);
            String shipped = Files.readString(rules);
            // a rule naming a webhook whose URL is not set, a file that is not YAML, a template that does not compile
            Files.writeString(rules, ShippedRoutes.withTheExampleTurnedOn(shipped).replace("constant: legal",
                    "constant: nowhere"));
            Files.writeString(routes.resolve("own-rules.camel.yaml"), "- route:\n    id: own-rules\n  from: [\n");
            Path slackAlert = templates.resolve("slack-alert.yaml");
            String template = Files.readString(slackAlert);
            Files.writeString(slackAlert, template.replaceFirst("text: \"", "text: \"{{#unclosed}} "));

            HttpResponse<String> refused = reload(monitor);
            assertThat(refused.statusCode()).isEqualTo(500);
            assertThat(log.linesContaining("Reload refused: ")).hasSize(4)
                    .anySatisfy(line -> assertThat(line).contains("alert-routing.camel.yaml:").contains("nowhere"))
                    .anySatisfy(line -> assertThat(line).contains("own-rules.camel.yaml"))
                    .anySatisfy(line -> assertThat(line).contains("slack-alert.yaml"))
                    .anySatisfy(line -> assertThat(line).contains("3 problems found"));
            assertThat(refused.body()).contains("nowhere").contains("own-rules.camel.yaml").contains("slack-alert.yaml");
            assertThat(metrics(monitor)).contains("phrase_monitor_config_last_reload_successful 0.0")
                    .contains("phrase_monitor_config_reloads_total{outcome=\"failure\"} 1.0");

            // the old rules are in force: a Legal TM's failure goes to the default webhook
            bed.phrase().lastTask("tmLegal", failed("task-legal", "Contract TMX broken"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 2);
            assertThat(bed.slack().posts().get(1)).contains("Legal EN-DE");
            assertThat(legalSlack.posts()).isEmpty();

            // fixed, and applied by POST: polling went on throughout, and the next reload takes it
            Files.writeString(rules, ShippedRoutes.withTheExampleTurnedOn(shipped));
            Files.delete(routes.resolve("own-rules.camel.yaml"));
            Files.writeString(slackAlert, template);
            HttpResponse<String> applied = reload(monitor);
            assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
            assertThat(metrics(monitor)).contains("phrase_monitor_config_last_reload_successful 1.0")
                    .contains("phrase_monitor_config_reloads_total{outcome=\"success\"} 1.0");
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(bed.slack().posts()).as("nothing sent twice across the reloads").hasSize(2);
        }
    }

    /** The jar's entry point in a JVM of its own: SIGHUP reloads it, and it keeps running (the JVM's default: exit). */
    @Test
    void theMonitorProcessReloadsOnSighupAndKeepsRunning() throws Exception {
        Path workDir = MonitorProcess.prepareWorkDir(Files.createDirectories(opsDir.resolve("deployment")));
        Map<String, String> env = MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(),
                workDir.resolve("data"), "tmMarketing,tmLegal");
        env.put("ALERT_SLACK_WEBHOOK_URL_LEGAL", legalSlack.webhookUrl());
        try (MonitorProcess monitor = MonitorProcess.start(workDir, env)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> bed.slack().posts().size() == 1);
            Path rules = workDir.resolve("routes").resolve(ShippedRoutes.ROUTING_FILE);
            // the example, with the monitor's problems on Slack: this monitor has no email
            Files.writeString(rules, ShippedRoutes.withTheExampleTurnedOn(Files.readString(rules))
                    .replace("constant: email", "constant: slack"));
            // and a setting built in at start: named as taking a restart, the rest applied
            Files.writeString(workDir.resolve("application.properties"), Files.readString(workDir.resolve(
                    "application.properties")).replace("monitor.problem-threshold=3", "monitor.problem-threshold=5"));

            Process hangUp = new ProcessBuilder("kill", "-HUP", Long.toString(monitor.pid())).start();
            assertThat(hangUp.waitFor()).isZero();
            monitor.awaitLine("Configuration reloaded (SIGHUP)", 60);
            assertThat(monitor.isAlive()).isTrue();
            assertThat(monitor.lines()).filteredOn(line -> line.contains("take a restart")).singleElement().asString()
                    .endsWith(": monitor.problem-threshold");

            bed.phrase().lastTask("tmLegal", failed("task-legal", "Contract TMX broken"));
            await().atMost(Duration.ofSeconds(30)).until(() -> legalSlack.posts().size() == 1);
            assertThat(bed.slack().posts()).as("no repeat of the earlier alert").singleElement().asString()
                    .contains("Marketing EN-DE");
        }
    }

    /**
     * The everyday settings a reload hands to their beans: a TM added to monitor.tm-uids is watched from the next
     * round, and a status added to monitor.failed-statuses counts as failed; neither is named as taking a restart.
     */
    @Test
    void watchingAnotherTmAndAnotherFailedStatusTakeAReloadNotARestart() throws Exception {
        Path workDir = MonitorProcess.prepareWorkDir(Files.createDirectories(opsDir.resolve("deployment")));
        Map<String, String> env = MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(),
                workDir.resolve("data"), "");
        env.remove("MONITOR_TM_UIDS"); // the file says which TMs: the environment would win over it
        Path properties = workDir.resolve("application.properties");
        Files.writeString(properties, Files.readString(properties).replace("\nmonitor.tm-uids=\n",
                "\nmonitor.tm-uids=tmMarketing\n"));
        bed.phrase().translationMemory("tmArchive", "Archive EN-FR")
                .lastTask("tmArchive", failed("task-archive", "Archive TMX broken"))
                .lastTask("tmLegal", PhraseDocuments.finished("task-legal-odd", "CANCELLED_BY_SYSTEM", ""));
        try (MonitorProcess monitor = MonitorProcess.start(workDir, env)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> bed.slack().posts().size() == 1);
            assertThat(bed.slack().posts().get(0)).contains("Marketing EN-DE");

            Files.writeString(properties, Files.readString(properties)
                    .replace("\nmonitor.tm-uids=tmMarketing\n", "\nmonitor.tm-uids=tmMarketing,tmArchive,tmLegal\n")
                    .replace("\nmonitor.failed-statuses=ERROR,FAILED,FAILURE\n",
                            "\nmonitor.failed-statuses=ERROR,FAILED,FAILURE,CANCELLED_BY_SYSTEM\n"));
            Process hangUp = new ProcessBuilder("kill", "-HUP", Long.toString(monitor.pid())).start();
            assertThat(hangUp.waitFor()).isZero();
            monitor.awaitLine("Configuration reloaded (SIGHUP)", 60);
            assertThat(monitor.lines()).as("nothing of it takes a restart")
                    .noneMatch(line -> line.contains("take a restart"));

            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 3);
            assertThat(bed.slack().posts()).as("the new TMs' failures once each, no repeat of the first")
                    .anySatisfy(post -> assertThat(post).contains("Archive EN-FR"))
                    .anySatisfy(post -> assertThat(post).contains("Legal EN-DE"))
                    .filteredOn(post -> post.contains("Marketing EN-DE")).hasSize(1);
            assertThat(monitor.isAlive()).isTrue();
        }
    }

    @Test
    void withReloadOnChangeASavedEditIsAppliedByItselfOnce() throws Exception {
        Map<String, String> settings = settings();
        settings.put("monitor.reload-on-change", "true");
        try (RunningMonitor monitor = start(settings); LogCapture log = LogCapture.attach()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            Path rules = routes.resolve(ShippedRoutes.ROUTING_FILE);
            Files.writeString(rules, ShippedRoutes.withTheExampleTurnedOn(Files.readString(rules)));
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics(monitor)
                    .contains("phrase_monitor_config_reloads_total{outcome=\"success\"} 1.0"));
            assertThat(log.linesContaining("Configuration reloaded (a file changed)")).hasSize(1);

            bed.phrase().lastTask("tmLegal", failed("task-legal", "Contract TMX broken"));
            await().atMost(Duration.ofSeconds(20)).until(() -> legalSlack.posts().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(metrics(monitor)).as("files unchanged since: no second reload")
                    .contains("phrase_monitor_config_reloads_total{outcome=\"success\"} 1.0");
        }
    }

    /** Whether this JVM was started with SIGHUP ignored (bit 1 of SigIgn in /proc/self/status), as under nohup. */
    private static boolean sighupIgnoredByThisJvm() throws Exception {
        String ignored = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("SigIgn:")).findFirst().orElseThrow().substring(7).trim();
        return (Long.parseLong(ignored, 16) & 1L) != 0;
    }

    private static HttpResponse<String> reload(RunningMonitor monitor) throws Exception {
        String root = monitor.managementUrl().replace("/observe", "");
        return HTTP.send(HttpRequest.newBuilder(URI.create(root + "/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String metrics(RunningMonitor monitor) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(monitor.managementUrl() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> recipients(jakarta.mail.internet.MimeMessage mail) {
        try {
            return Arrays.stream(mail.getAllRecipients()).map(Object::toString).toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
