package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static io.github.phrasetmmonitor.support.PhraseDocuments.runningSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.support.AlertmanagerServer;
import io.github.phrasetmmonitor.support.AlertmanagerServer.Alert;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.SlackRecorder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 22, item 3: the example channel alertmanager (routes/engine/channel-alertmanager.camel.yaml,
 * templates/alertmanager-alert.yaml) against a real Alertmanager 0.25 on loopback (Debian's prometheus-alertmanager):
 * each open incident is an active alert with its labels, posted again while open, ended on resolution; a storm is one
 * post of every alert; a stuck task and the monitor's own problems are alerts of their own names. What is asserted is
 * what Alertmanager holds, read back through its API, so a payload it refuses or misreads fails here, and what it
 * then tells a hub's webhook.
 */
class AlertmanagerChannelTest {

    private static final String FAILED_KEY = "task:tmFailed/task-7";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    /** What the hub behind Alertmanager hears from it: Alertmanager's own webhook notifications. */
    private SlackRecorder hub;
    private AlertmanagerServer alertmanager;

    @BeforeEach
    void alertmanager() throws Exception {
        hub = new SlackRecorder("/hub/alertmanager-webhook");
        alertmanager = AlertmanagerServer.startNotifying(hub.webhookUrl());
    }

    @AfterEach
    void stopAlertmanager() throws Exception {
        try (SlackRecorder recorder = hub) {
            if (alertmanager != null) {
                alertmanager.close();
            }
        }
    }

    private Map<String, String> settings(String tmUids) {
        Map<String, String> settings = bed.settingsWatching(tmUids);
        settings.put("alert.channels", "alertmanager");
        settings.put("alert.alertmanager.url", alertmanager.url());
        return settings;
    }

    private void oneFailedTask() {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-7", "TMX broken"));
    }

    private static List<String> sent(LogCapture logs) {
        return logs.linesContaining("Alertmanager ").stream().filter(line -> line.endsWith(" sent")).toList();
    }

    @Test
    void aFailedTaskIsOneActiveAlertWithItsLabelsUntilALaterTaskOfTheTmSucceeds() throws Exception {
        oneFailedTask();
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings("tmFailed"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> alertmanager.activeAlerts().size() == 1);
            Alert alert = alertmanager.activeAlerts().get(0);
            assertThat(alert.labels()).containsAllEntriesOf(Map.of(
                    "alertname", "PhraseTmTaskFailed",
                    "tm_uid", "tmFailed",
                    "tm_name", "Glossary EN-DE",
                    "task_id", "task-7",
                    "action", "IMPORT_TMX",
                    "kind", "task-failed",
                    "incident", FAILED_KEY,
                    "source", "phrase-tm-monitor"));
            assertThat(alert.annotations().get("summary")).isEqualTo("Phrase TM task failed: Glossary EN-DE (tmFailed)");
            assertThat(alert.annotations().get("description")).contains("TMX broken");
            // held for three of the channel's repeat-intervals (5m by default) unless posted again
            assertThat(alert.endsAt()).isAfter(Instant.now().plus(Duration.ofMinutes(14)))
                    .isBefore(Instant.now().plus(Duration.ofMinutes(16)));
            assertThat(alert.startsAt()).isBefore(Instant.now());
            await("Alertmanager notifies the hub").atMost(Duration.ofSeconds(20)).until(() -> hub.posts().stream()
                    .anyMatch(post -> post.contains("\"status\":\"firing\"") && post.contains(FAILED_KEY)));

            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(sent(logs)).as("one post while nothing changes").containsExactly(
                    "INFO phrase-tm-monitor.alert Alertmanager alert for TM tmFailed task task-7 sent");
            assertThat(alertmanager.activeAlerts()).hasSize(1);

            bed.phrase().lastTask("tmFailed", ok("task-8"));
            // it would otherwise stay active for 15 minutes: gone now means the resolved post set endsAt to the past
            await().atMost(Duration.ofSeconds(20)).until(() -> alertmanager.activeAlerts().isEmpty());
            // Alertmanager ends the alert as it takes the post; the monitor records it, and says so, just after
            await().atMost(Duration.ofSeconds(20)).until(() -> sent(logs).size() == 2);
            assertThat(sent(logs)).endsWith(
                    "INFO phrase-tm-monitor.alert Alertmanager resolved notice for TM tmFailed task task-7 sent");
            await("Alertmanager tells the hub it is resolved").atMost(Duration.ofSeconds(20)).until(() -> hub.posts()
                    .stream().anyMatch(post -> post.contains("\"status\":\"resolved\"") && post.contains(FAILED_KEY)));
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(sent(logs)).hasSize(2);
            assertThat(alertmanager.activeAlerts()).isEmpty();
            assertThat(alertmanager.log()).doesNotContain("level=error");
        }
    }

    /**
     * Alertmanager resolves an alert nobody posts again once its endsAt passes: while the incident is open the
     * channel posts it every alert.alertmanager.repeat-interval, with alert.repeat-interval left off.
     */
    @Test
    void anOpenIncidentIsPostedAgainEveryRepeatIntervalSoItStaysActive() throws Exception {
        oneFailedTask();
        Map<String, String> settings = settings("tmFailed");
        settings.put("alert.repeat-interval", "");
        settings.put("alert.alertmanager.repeat-interval", "2s");
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> alertmanager.activeAlert(FAILED_KEY) != null);
            Alert first = alertmanager.activeAlert(FAILED_KEY);
            assertThat(Duration.between(first.updatedAt(), first.endsAt()))
                    .as("held for three repeat-intervals").isBetween(Duration.ofSeconds(4), Duration.ofSeconds(7));

            // past the first post's endsAt: without the posts that followed it, Alertmanager would have resolved it
            await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(first.endsAt().plusSeconds(1)));
            Alert later = alertmanager.activeAlert(FAILED_KEY);
            assertThat(later).as("still active after the first post's endsAt").isNotNull();
            assertThat(later.updatedAt()).isAfter(first.updatedAt());
            assertThat(later.endsAt()).isAfter(first.endsAt());
            assertThat(later.startsAt()).as("the same alert, not a new one").isEqualTo(first.startsAt());
            assertThat(sent(logs)).contains(
                    "INFO phrase-tm-monitor.alert Alertmanager reminder for TM tmFailed task task-7 sent");

            bed.phrase().lastTask("tmFailed", ok("task-8"));
            await().atMost(Duration.ofSeconds(20)).until(() -> alertmanager.activeAlerts().isEmpty());
            // Alertmanager ends the alert as it takes the post; the monitor records it, and says so, just after
            await().atMost(Duration.ofSeconds(20)).until(() -> sent(logs).stream()
                    .anyMatch(line -> line.contains("resolved notice for TM tmFailed")));
            int posts = sent(logs).size();
            assertThat(monitor.awaitRounds(4, 30)).isTrue();
            assertThat(sent(logs)).as("no post after the resolved one").hasSize(posts);
        }
    }

    @Test
    void aStormIsOnePostCarryingEveryAlert() throws Exception {
        List<String> uids = IntStream.rangeClosed(1, 8).mapToObj(i -> "tmStorm" + i).toList();
        bed.phrase().loginIssues("token-1");
        for (int i = 1; i <= 8; i++) {
            bed.phrase().translationMemory("tmStorm" + i, "Storm " + i + " EN-DE")
                    .lastTask("tmStorm" + i, failed("task-" + i, "TMX number " + i + " is broken"));
        }
        Map<String, String> settings = settings(String.join(",", uids));
        settings.put("alert.digest-threshold", "5");
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> alertmanager.activeAlerts().size() == 8);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();

            assertThat(sent(logs)).containsExactly(
                    "INFO phrase-tm-monitor.alert Alertmanager digest of 8 failed tasks sent");
            assertThat(Management.total(monitor.managementUrl(),
                    "phrase_monitor_alerts_sent_total{channel=\"alertmanager\"")).isEqualTo(1.0);
            List<Alert> alerts = alertmanager.activeAlerts();
            assertThat(alerts).extracting(alert -> alert.label("tm_uid")).containsExactlyInAnyOrderElementsOf(uids);
            assertThat(alerts).allSatisfy(alert -> {
                assertThat(alert.label("alertname")).isEqualTo("PhraseTmTaskFailed");
                assertThat(alert.label("incident"))
                        .isEqualTo("task:" + alert.label("tm_uid") + "/" + alert.label("task_id"));
            });
        }
    }

    /** A problem is an open incident like a failed task: posted again while it lasts, ended when it does. */
    @Test
    void theMonitorsOwnProblemIsAnAlertPostedAgainUntilItRecovers() throws Exception {
        loginAccepts("the-new-password");
        Map<String, String> settings = settings("tmOk");
        settings.put("monitor.problem-check-interval", "300ms");
        settings.put("phrase.max-retries", "0");
        settings.put("alert.alertmanager.repeat-interval", "2s");
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> alertmanager.activeAlerts().size() == 1);
            Alert alert = alertmanager.activeAlerts().get(0);
            assertThat(alert.labels()).containsAllEntriesOf(Map.of(
                    "alertname", "PhraseTmMonitorProblem",
                    "problem", MonitorProblems.CREDENTIALS,
                    "kind", "problem",
                    "incident", "problem:" + MonitorProblems.CREDENTIALS,
                    "source", "phrase-tm-monitor"));
            assertThat(alert.labels()).doesNotContainKeys("tm_uid", "task_id");
            assertThat(alert.annotations().get("summary")).contains("refuses the monitor's credentials");
            assertThat(alert.annotations().get("description")).contains("HTTP 401");
            assertThat(String.join("\n", alert.labels().values()) + alert.annotations())
                    .doesNotContain("s3cret-Passw0rd");

            await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(alert.endsAt().plusSeconds(1)));
            Alert later = alertmanager.activeAlert(alert.label("incident"));
            assertThat(later).as("still active after the first post's endsAt").isNotNull();
            assertThat(later.endsAt()).isAfter(alert.endsAt());
            assertThat(sent(logs)).contains(
                    "INFO phrase-tm-monitor.alert Alertmanager reminder of problem credentials sent");

            loginAccepts("s3cret-Passw0rd");
            await().atMost(Duration.ofSeconds(30)).until(() -> alertmanager.activeAlerts().isEmpty());
            await().atMost(Duration.ofSeconds(20)).until(() -> sent(logs).stream()
                    .anyMatch(line -> line.contains("recovery notice credentials")));
            assertThat(sent(logs)).first()
                    .isEqualTo("INFO phrase-tm-monitor.alert Alertmanager problem alert credentials sent");
            assertThat(sent(logs)).last()
                    .isEqualTo("INFO phrase-tm-monitor.alert Alertmanager recovery notice credentials sent");
        }
    }

    @Test
    void aStuckTaskIsAnAlertOfItsOwnName() throws Exception {
        Instant threeHoursAgo = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmSlow", "Big import EN-DE")
                .lastTask("tmSlow", runningSince("task-9", threeHoursAgo, "PROCESSING"));
        Map<String, String> settings = settings("tmSlow");
        settings.put("monitor.stuck-after", "2h");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> alertmanager.activeAlerts().size() == 1);
            Alert alert = alertmanager.activeAlerts().get(0);
            assertThat(alert.labels()).containsAllEntriesOf(Map.of(
                    "alertname", "PhraseTmTaskStuck",
                    "kind", "task-stuck",
                    "tm_uid", "tmSlow",
                    "task_id", "task-9",
                    "source", "phrase-tm-monitor"));
            assertThat(alert.label("incident")).startsWith("stuck:").contains("tmSlow", "task-9");
            assertThat(alert.annotations().get("summary"))
                    .isEqualTo("Phrase TM task still running: Big import EN-DE (tmSlow)");

            bed.phrase().lastTask("tmSlow", ok("task-9"));
            await().atMost(Duration.ofSeconds(20)).until(() -> alertmanager.activeAlerts().isEmpty());
        }
    }

    /** Phrase accepts only this password; tmOk exists and its last task succeeded. */
    private void loginAccepts(String password) {
        bed.phrase().server().resetMappings();
        bed.phrase().translationMemory("tmOk", "Marketing EN-DE").lastTask("tmOk", ok("task-2"));
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN)).willReturn(unauthorized()
                .withBody("{\"errorCode\":\"AuthInvalidCredentials\",\"errorDescription\":\"Wrong password\"}")));
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN))
                .withRequestBody(matchingJsonPath("$.password", equalTo(password)))
                .willReturn(okJson("{\"token\":\"token-1\",\"expires\":\"2099-01-01T00:00:00Z\"}")));
    }
}
