package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.phrasetmmonitor.support.PhraseApiStub.status;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, item 1: the monitor's own problems are alerts too, told once when they start and once when they end on
 * the configured channels, never once per round, and not again after a restart. Real routes and templates against a
 * WireMock Phrase, a recording Slack webhook and GreenMail.
 */
class ProblemAlertTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    private Map<String, String> settings(String channels) {
        Map<String, String> settings = bed.settings();
        settings.put("monitor.tm-uids", "tmOk");
        settings.put("alert.channels", channels);
        settings.put("monitor.problem-check-interval", "300ms");
        settings.put("phrase.max-retries", "0");
        return settings;
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

    private int emails() {
        return bed.smtp().getReceivedMessages().length;
    }

    private String email(int index) throws Exception {
        return bed.smtp().getReceivedMessages()[index].getSubject() + "\n"
                + GreenMailUtil.getBody(bed.smtp().getReceivedMessages()[index]);
    }

    /**
     * Done-when: with a wrong password one problem alert arrives per channel (not one per round) and readiness is
     * DOWN; both clear with one recovery message once the password is right.
     */
    @Test
    void aWrongPasswordIsToldOnceAndItsRecoveryOnce() throws Exception {
        loginAccepts("the-new-password");
        try (RunningMonitor monitor = RunningMonitor.start(settings("slack,email"))) {
            String ready = monitor.managementUrl() + "/health/ready?exposureLevel=full";
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1 && emails() == 1);
            assertThat(Management.get(ready).status()).isEqualTo(503);
            assertThat(bed.slack().posts().get(0)).contains("Problem", "the Phrase account, login as user 'ops-bot'",
                    "refuses the monitor's credentials", "Since", "HTTP 401", "Wrong password");
            assertThat(email(0)).contains("Monitor problem", "login as user 'ops-bot'", "HTTP 401")
                    .doesNotContain("s3cret-Passw0rd");

            assertThat(monitor.awaitRounds(4, 30)).isTrue();
            assertThat(bed.slack().posts()).as("one problem alert, not one per round").hasSize(1);
            assertThat(emails()).isEqualTo(1);
            assertThat(Management.get(ready).status()).isEqualTo(503);

            loginAccepts("s3cret-Passw0rd");
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 2 && emails() == 2);
            assertThat(Management.get(ready).status()).isEqualTo(200);
            assertThat(bed.slack().posts().get(1)).contains("Recovered", "the Phrase account");
            assertThat(email(1)).contains("Recovered", "login as user 'ops-bot'");

            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(bed.slack().posts()).as("one recovery message").hasSize(2);
            assertThat(emails()).isEqualTo(2);
            assertThat(problems(monitor).open()).isEmpty();
        }
    }

    /** Done-when: a TM failing with 500 for longer than the threshold gives one problem alert and one recovery. */
    @Test
    void aTmFailingLongerThanTheThresholdIsToldOnceAndItsRecoveryOnce() throws Exception {
        loginAccepts("s3cret-Passw0rd");
        bed.phrase().translationMemory("tmDown", "Docs EN-JA").lastTask("tmDown", status(500).withBody("oops"));
        Map<String, String> settings = settings("slack");
        settings.put("monitor.tm-uids", "tmOk,tmDown");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(bed.slack().posts()).as("below monitor.problem-threshold (3) nothing is told").isEmpty();

            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
            assertThat(bed.slack().posts().get(0)).contains("TM Docs EN-JA (tmDown)", "in 3 rounds in a row",
                    "monitor.problem-threshold 3", "HTTP 500", "Since");
            assertThat(monitor.awaitRounds(4, 30)).isTrue();
            assertThat(bed.slack().posts()).as("one problem alert while it keeps failing").hasSize(1);

            bed.phrase().lastTask("tmDown", ok("task-9"));
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 2);
            assertThat(bed.slack().posts().get(1)).contains("Recovered", "TM Docs EN-JA (tmDown)",
                    "in 3 rounds in a row");
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(bed.slack().posts()).as("one recovery").hasSize(2);
        }
    }

    /** A configured TM that does not exist (404 on GET /api2/v1/transMemories/{uid}) is told once, by its uid. */
    @Test
    void aConfiguredTmThatDoesNotExistIsToldOnce() throws Exception {
        loginAccepts("s3cret-Passw0rd");
        Map<String, String> settings = settings("slack");
        settings.put("monitor.tm-uids", "tmOk,tmGone");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
            assertThat(bed.slack().posts().get(0)).contains("TM tmGone", "does not exist", "HTTP 404",
                    "/api2/v1/transMemories/tmGone");
            assertThat(monitor.awaitRounds(4, 30)).isTrue();
            assertThat(bed.slack().posts()).as("not once per round").hasSize(1);
            assertThat(problems(monitor).open()).containsExactly("tm-not-found:tmGone");
        }
    }

    /** Watching the whole account, a refused login already fails the listing: still one problem alert, one recovery. */
    @Test
    void aWrongPasswordIsToldOnceWhenWatchingTheWholeAccount() throws Exception {
        loginAccepts("the-new-password");
        listing();
        Map<String, String> settings = settings("slack");
        settings.put("monitor.tm-uids", "");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            String ready = monitor.managementUrl() + "/health/ready?exposureLevel=full";
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
            assertThat(bed.slack().posts().get(0)).contains("the Phrase account", "HTTP 401");
            assertThat(Management.get(ready).status()).isEqualTo(503);
            assertThat(monitor.awaitRounds(4, 30)).isTrue();
            assertThat(bed.slack().posts()).hasSize(1);

            loginAccepts("s3cret-Passw0rd");
            listing();
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 2);
            assertThat(bed.slack().posts().get(1)).contains("Recovered");
            assertThat(Management.get(ready).status()).isEqualTo(200);
        }
    }

    private void listing() {
        bed.phrase().server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/web/api2/v1/transMemories"))
                .willReturn(okJson("{\"totalElements\":1,\"totalPages\":1,\"pageSize\":50,\"pageNumber\":0,"
                        + "\"content\":[{\"uid\":\"tmOk\",\"name\":\"Marketing EN-DE\"}]}")));
    }

    /** A problem told before a restart is not told again after it; its recovery still is, once. */
    @Test
    void aRestartDoesNotRepeatAProblemAlert() throws Exception {
        loginAccepts("the-new-password");
        try (RunningMonitor monitor = RunningMonitor.start(settings("slack"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
        }
        assertThat(bed.stateDir().resolve(io.github.phrasetmmonitor.state.IncidentState.JOURNAL)).content()
                .contains("credentials").doesNotContain("s3cret-Passw0rd");
        try (RunningMonitor monitor = RunningMonitor.start(settings("slack"))) {
            assertThat(monitor.awaitRounds(4, 30)).isTrue();
            assertThat(problems(monitor).open()).containsExactly(MonitorProblems.CREDENTIALS);
            assertThat(bed.slack().posts()).as("told before the restart: not again").hasSize(1);

            loginAccepts("s3cret-Passw0rd");
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 2);
            assertThat(bed.slack().posts().get(1)).contains("Recovered");
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(bed.slack().posts()).hasSize(2);
        }
    }

    private static MonitorProblems problems(RunningMonitor monitor) {
        return monitor.context().getRegistry().lookupByNameAndType("monitorProblems", MonitorProblems.class);
    }
}
