package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.phrasetmmonitor.support.PhraseApiStub.status;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.tools.OperatorTools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 23, item 3: silences and maintenance windows, on the real routes and templates against a WireMock Phrase, a
 * recording Slack webhook and GreenMail. A maintenance window over a Phrase outage sends nothing while it is on, and
 * after it what alert.after-silence says; an ad-hoc silence added by the command holds across a restart, and its
 * expiry lets the alert go, once.
 */
class SilencesTest {

    /** How long the maintenance window still runs when the monitor starts: a few rounds and problem checks. */
    private static final Duration WINDOW_LEFT = Duration.ofSeconds(20);

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @TempDir
    Path opsDir;

    private void everyTmAnswers(ResponseDefinitionBuilder lastTask) {
        bed.phrase().loginIssues("token-1");
        bed.phrase().server().stubFor(get(urlPathMatching("/web/api2/v1/transMemories/tm\\d+"))
                .willReturn(okJson("{\"uid\":\"tm\",\"name\":\"Docs\"}")));
        bed.phrase().server().stubFor(get(urlPathMatching("/web/api2/v1/transMemories/tm\\d+/lastBackgroundTask"))
                .willReturn(lastTask));
    }

    private int told() {
        return bed.slack().posts().size() + bed.mailSubjects().size();
    }

    private static IncidentState state(RunningMonitor monitor) {
        return monitor.context().getRegistry().lookupByNameAndType("incidentState", IncidentState.class);
    }

    private static String metrics(RunningMonitor monitor) throws Exception {
        return Management.get(monitor.managementUrl() + "/metrics").body();
    }

    @ParameterizedTest(name = "alert.after-silence={0}")
    @ValueSource(strings = {"tell", "drop"})
    void aMaintenanceWindowOverAPhraseOutageSendsNothingDuringItAndWhatThePolicySaysAfter(String policy)
            throws Exception {
        Instant windowEnd = Instant.now().plus(WINDOW_LEFT).truncatedTo(ChronoUnit.SECONDS);
        Path silences = opsDir.resolve("silences.yaml");
        Files.writeString(silences, String.join("\n",
                "windows:",
                "  - name: phrase-maintenance",
                "    match: {kind: phrase-unavailable}",
                "    from: " + windowEnd.minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC).toLocalDateTime(),
                "    until: " + windowEnd.atOffset(ZoneOffset.UTC).toLocalDateTime(),
                "    time-zone: UTC", ""));
        everyTmAnswers(status(503).withBody("<html><body>Service Unavailable</body></html>"));
        Map<String, String> settings = bed.settingsWatching("tm0,tm1,tm2");
        settings.put("monitor.problem-check-interval", "300ms");
        settings.put("phrase.max-retries", "0");
        settings.put("monitor.stale-after", "10m");
        settings.put("monitor.silences-file", silences.toString());
        settings.put("alert.after-silence", policy);
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            MonitorProblems problems = monitor.context().getRegistry().lookupByNameAndType("monitorProblems",
                    MonitorProblems.class);
            await().atMost(WINDOW_LEFT).until(() -> problems.open().contains("phrase-unavailable")
                    && state(monitor).openIncidents().stream().anyMatch(incident -> incident.isRouted()));
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(Instant.now()).as("the outage was recorded and delivery passes ran within the window; this"
                    + " machine is too slow for the window's %s", WINDOW_LEFT).isBefore(windowEnd);
            assertThat(told()).as("nothing is sent during the window").isZero();
            String during = metrics(monitor);
            assertThat(during).contains("phrase_monitor_incidents_silenced 1.0")
                    .contains("phrase_monitor_silences_active{source=\"window\"} 1.0");

            await().atMost(WINDOW_LEFT.plusSeconds(10)).until(() -> Instant.now().isAfter(windowEnd));
            if (policy.equals("tell")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1
                        && bed.mailSubjects().size() == 1);
                assertThat(bed.slack().posts().get(0)).contains("Phrase answers none of the monitor's calls");
                assertThat(monitor.awaitRounds(3, 30)).isTrue();
                assertThat(told()).as("told once, per channel").isEqualTo(2);
            } else {
                assertThat(monitor.awaitRounds(3, 30)).isTrue();
                assertThat(told()).as("dropped: nothing after the window either").isZero();
            }

            everyTmAnswers(okJson(ok("task-1")));
            await().atMost(Duration.ofSeconds(30)).until(() -> !problems.open().contains("phrase-unavailable"));
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> state(monitor).openIncidents().isEmpty());
            assertThat(told()).as(policy.equals("tell") ? "and its recovery once" : "nor a recovery of it")
                    .isEqualTo(policy.equals("tell") ? 4 : 0);
            assertThat(metrics(monitor)).contains("phrase_monitor_incidents_silenced 0.0")
                    .contains("phrase_monitor_silences_active{source=\"window\"} 0.0");
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run tool(Map<String, String> settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new OperatorTools(Path.of(""), settings).run(args, new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anAdHocSilenceHoldsAcrossARestartAndItsExpiryLetsTheAlertGoOnce() throws Exception {
        bed.phrase().loginIssues("token-1");
        bed.phrase().translationMemory("tm1", "Legal EN-DE").lastTask("tm1", failed("task-7", "TMX broken"));
        Map<String, String> settings = bed.settingsWatching("tm1");
        settings.put("monitor.silences-file", opsDir.resolve("none.yaml").toString());
        Run add = tool(settings, "silence", "add", "tm=tm1", "--for", "1h", "--author", "ops",
                "--reason", "migrating the legal TM");
        assertThat(add.exitCode()).as(add.err()).isZero();
        String id = add.out().replaceFirst("(?s)^silence add: (\\w+) added.*", "$1");

        Run explain = tool(settings, "explain", "tm1");
        assertThat(explain.out()).as(explain.err())
                .contains("Silences of a failed task of this TM:", "silence " + id + " (match tm=tm1, by ops:"
                        + " migrating the legal TM): in force now, until ")
                .contains("Silenced now by silence " + id + " until ");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> state(monitor).find("tm1", "task-7").isPresent());
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(told()).as("silenced").isZero();
            assertThat(metrics(monitor)).contains("phrase_monitor_incidents_silenced 1.0")
                    .contains("phrase_monitor_silences_active{source=\"ad-hoc\"} 1.0");
        }
        try (RunningMonitor restarted = RunningMonitor.start(settings)) {
            assertThat(restarted.awaitRounds(3, 30)).isTrue();
            assertThat(state(restarted).find("tm1", "task-7")).isPresent();
            assertThat(told()).as("still silenced after a restart").isZero();

            Run expire = tool(settings, "silence", "expire", id);
            assertThat(expire.exitCode()).as(expire.err()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1
                    && bed.mailSubjects().size() == 1);
            assertThat(bed.slack().posts().get(0)).contains("Legal EN-DE");
            assertThat(restarted.awaitRounds(3, 30)).isTrue();
            assertThat(told()).as("once").isEqualTo(2);
        }
    }
}
