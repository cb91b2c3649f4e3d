package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signing in: one login reused, a new login and one retry when Phrase refuses the token, API token mode. */
class PhraseAuthTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().translationMemory("tm1", "Glossary EN-DE");
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settingsWatching("tm1");
        settings.put("alert.channels", "slack");
        return settings;
    }

    @Test
    void aRefusedTokenLeadsToOneNewLoginAndTheCallIsRetried() throws Exception {
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN))
                .withRequestBody(matchingJsonPath("$.userName", equalTo("ops-bot")))
                .withRequestBody(matchingJsonPath("$.password", equalTo("s3cret-Passw0rd")))
                .inScenario("login").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("second")
                .willReturn(okJson("{\"token\":\"expired-token\",\"expires\":\"2099-01-01T00:00:00Z\"}")));
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN))
                .inScenario("login").whenScenarioStateIs("second")
                .willReturn(okJson("{\"token\":\"fresh-token\",\"expires\":\"2099-01-01T00:00:00+0000\"}")));
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskWithToken("tm1", "expired-token").willReturn(unauthorized()
                .withBody("{\"errorCode\":\"AuthUnauthorized\",\"errorDescription\":\"Token expired\"}")));
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskWithToken("tm1", "fresh-token")
                .willReturn(okJson(failed("task-1", "broken"))));

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();

            assertThat(bed.phrase().logins()).as("one login, one renewal, then the fresh token is reused").isEqualTo(2);
            int callsWithFreshToken = bed.phrase().server().countRequestsMatching(getRequestedFor(
                    urlEqualTo("/web/api2/v1/transMemories/tm1/lastBackgroundTask"))
                    .withHeader("Authorization", equalTo("ApiToken fresh-token")).build()).getCount();
            assertThat(callsWithFreshToken).isGreaterThanOrEqualTo(3);
            assertThat(bed.slack().posts()).hasSize(1);
            assertThat(logs.all()).doesNotContain("s3cret-Passw0rd", "fresh-token", "expired-token");
        }
    }

    @Test
    void anApiTokenIsSentAsIsAndNoLoginHappens() throws Exception {
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskWithToken("tm1", "long-lived-api-token")
                .willReturn(okJson(failed("task-1", "broken"))));
        Map<String, String> settings = settings();
        settings.remove("phrase.username");
        settings.remove("phrase.password");
        settings.put("phrase.api-token", "long-lived-api-token");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            assertThat(bed.phrase().logins()).isZero();
            assertThat(logs.all()).doesNotContain("long-lived-api-token");
        }
    }

    @Test
    void aPlatformTokenIsExchangedAtTheIdmAndSentAsBearer() throws Exception {
        bed.phrase().server().stubFor(post(urlEqualTo("/idm/oauth/token"))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(containing("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"))
                .withRequestBody(containing("subject_token=platform-secret-token"))
                .willReturn(okJson("{\"access_token\":\"bearer-access-1\",\"token_type\":\"Bearer\",\"expires_in\":14400}")));
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskOf("tm1")
                .withHeader("Authorization", equalTo("Bearer bearer-access-1"))
                .willReturn(okJson(failed("task-1", "broken"))));
        Map<String, String> settings = settings();
        settings.remove("phrase.username");
        settings.remove("phrase.password");
        settings.put("phrase.platform-token", "platform-secret-token");
        settings.put("phrase.idm-url", bed.phrase().baseUrl().replace("/web", "") + "/idm/oauth/token");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(bed.phrase().server().countRequestsMatching(
                    postRequestedFor(urlEqualTo("/idm/oauth/token")).build()).getCount())
                    .as("one exchange, reused while valid").isEqualTo(1);
            assertThat(bed.phrase().logins()).isZero();
            assertThat(logs.all()).doesNotContain("platform-secret-token", "bearer-access-1");
        }
    }

    @Test
    void refusedCredentialsGiveOneClearLinePerRoundAndTheMonitorKeepsPolling() throws Exception {
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN)).willReturn(unauthorized()
                .withBody("{\"errorCode\":\"AuthInvalidCredentials\",\"errorDescription\":\"Wrong user name or password\"}")));

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            // on a loaded machine a round (or the catch-up of a tick it outlasted) may find tm1's check of the
            // round before still running and skip it once with a line of its own; that line is no refusal's
            assertThat(logs.linesContaining("TM tm1 skipped this round"))
                    .filteredOn(line -> !line.contains("its check from an earlier round is still running"))
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line)
                            .contains("Phrase refused the login of user 'ops-bot' (HTTP 401)",
                                    "AuthInvalidCredentials: Wrong user name or password")
                            .doesNotContain("caused by"));
            assertThat(logs.all()).doesNotContain("s3cret-Passw0rd");
            assertThat(bed.slack().posts()).isEmpty();
        }
    }
}
