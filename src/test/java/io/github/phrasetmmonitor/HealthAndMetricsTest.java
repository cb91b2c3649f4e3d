package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.phrasetmmonitor.support.PhraseApiStub.status;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The management server on monitor.management-port: readiness follows the credentials and the dead-man switch,
 * liveness stays UP, and /observe/metrics carries the monitor's own meters next to Camel's.
 */
class HealthAndMetricsTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase()
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-1", "TMX broken"))
                .translationMemory("tmOk", "Marketing EN-DE")
                .lastTask("tmOk", ok("task-2"));
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settingsWatching("tmFailed,tmOk");
        settings.put("alert.channels", "slack");
        return settings;
    }

    private void loginAccepts(String password) {
        bed.phrase().server().resetMappings();
        bed.phrase().translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-1", "TMX broken"))
                .translationMemory("tmOk", "Marketing EN-DE").lastTask("tmOk", ok("task-2"));
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN)).willReturn(unauthorized()
                .withBody("{\"errorCode\":\"AuthInvalidCredentials\",\"errorDescription\":\"Wrong password\"}")));
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN))
                .withRequestBody(matchingJsonPath("$.password", equalTo(password)))
                .willReturn(okJson("{\"token\":\"token-1\",\"expires\":\"2099-01-01T00:00:00Z\"}")));
    }

    /** Must hold: readiness DOWN (503) naming the credentials while Phrase refuses them, UP once it accepts them. */
    @Test
    void readinessIsDownWhileThePasswordIsRefusedAndUpWhenItIsAccepted() throws Exception {
        loginAccepts("the-new-password");
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            String ready = monitor.managementUrl() + "/health/ready?exposureLevel=full";
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 503);
            Management.Answer down = Management.get(ready);
            assertThat(down.body()).contains("\"status\":\"DOWN\"", "phrase-credentials",
                    "Phrase refuses the credentials: login as user 'ops-bot'");
            assertThat(Management.get(monitor.managementUrl() + "/health/live").status())
                    .as("refused credentials are not a reason to restart the process").isEqualTo(200);
            assertThat(bed.slack().posts()).as("no task is seen while refused; only the credentials problem is told")
                    .noneMatch(post -> post.contains("Phrase TM task failed"));

            // the account's password is set to the one the monitor has
            loginAccepts("s3cret-Passw0rd");
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 200);
            assertThat(Management.get(ready).body()).contains("\"status\":\"UP\"");
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().stream()
                    .anyMatch(post -> post.contains("Phrase TM task failed")));
        }
    }

    /** Must hold: no successful round for monitor.stale-after turns readiness DOWN; the first success turns it UP. */
    @Test
    void theDeadManSwitchFiresWhenNoRoundSucceedsAndClearsOnTheNextSuccess() throws Exception {
        loginAccepts("s3cret-Passw0rd");
        Map<String, String> settings = settings();
        settings.put("monitor.stale-after", "3s");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            String ready = monitor.managementUrl() + "/health/ready?exposureLevel=full";
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            assertThat(Management.get(ready).status()).isEqualTo(200);

            bed.phrase().lastTask("tmFailed", status(503).withBody("maintenance"));
            bed.phrase().lastTask("tmOk", status(503).withBody("maintenance"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 503);
            assertThat(Management.get(ready).body()).contains("polling", "no successful polling round since",
                    "monitor.stale-after 3s");

            bed.phrase().lastTask("tmOk", ok("task-2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 200);
            assertThat(monitor.awaitRounds(1, 30)).as("the monitor is still polling").isTrue();
        }
    }

    /** Must hold: the monitor's meters are scraped from /observe/metrics with Camel's own. */
    @Test
    void metricsShowTheMonitorsMeters() throws Exception {
        loginAccepts("s3cret-Passw0rd");
        bed.phrase().translationMemory("tmDown", "Docs EN-JA").lastTask("tmDown", status(500).withBody("oops"));
        bed.slack().answerWith(500);
        Map<String, String> settings = settings();
        settings.put("monitor.tm-uids", "tmFailed,tmOk,tmDown");
        // one failed poll per round: with retries, tmDown's check outlasts the 1 s cron and rounds skip it
        settings.put("phrase.max-retries", "0");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            // deliveries run on their own threads: wait until Slack's failed attempts are counted
            await().atMost(Duration.ofSeconds(20)).until(() -> Management.get(monitor.managementUrl() + "/metrics")
                    .body().contains("phrase_monitor_alerts_failed_total{channel=\"slack\",kind=\"alert\"} 2"));
            bed.slack().answerWith(200);
            // the failed task's alert (tmDown's problem may come too: problems are counted as kind "problem")
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().stream()
                    .anyMatch(post -> post.contains("Phrase TM task failed")));
            assertThat(monitor.awaitRounds(1, 30)).isTrue();

            Management.Answer metrics = Management.get(monitor.managementUrl() + "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            String text = metrics.body();
            assertThat(value(text, "phrase_monitor_polls_total{outcome=\"FAILED\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_polls_total{outcome=\"OK\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_polls_total{outcome=\"ERROR\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_poll_errors_total{kind=\"server_error\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_alerts_failed_total{channel=\"slack\",kind=\"alert\"}"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(value(text, "phrase_monitor_alerts_sent_total{channel=\"slack\",kind=\"alert\"}"))
                    .isEqualTo(1);
            assertThat(value(text, "phrase_monitor_round_duration_seconds_count")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_tms_watched")).isEqualTo(3);
            assertThat(value(text, "phrase_monitor_last_successful_round_timestamp_seconds"))
                    .isGreaterThan(System.currentTimeMillis() / 1000.0 - 600);
            assertThat(text).as("Camel's own meters").contains("camel_exchanges_total");
            assertThat(text).as("Camel's route meters of the routes a message enters")
                    .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"check-translation-memory\"")
                    .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"poll-translation-memories\"");
            assertThat(text).as("none for the inner steps of each Phrase call (their time is their caller's)")
                    .doesNotContainPattern("routeId=\"phrase-(get|request)\"")
                    .doesNotContainPattern("routeId=\"fetch-last-background-task\"");
        }
    }

    private static double value(String prometheusText, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(prometheusText);
        assertThat(line.find()).as(series + " in\n" + prometheusText).isTrue();
        return Double.parseDouble(line.group(1));
    }
}
