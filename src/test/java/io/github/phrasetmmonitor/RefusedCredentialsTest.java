package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.health.MonitorHealth;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.poll.PollingRounds;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Refused credentials stop the round: 50 watched TMs and a wrong password (or a revoked API token) cost one refused
 * request per attempt, not one per TM per round, the attempts come further and further apart, and polling resumes by
 * itself once Phrase takes the credentials.
 */
class RefusedCredentialsTest {

    private static final int TMS = 50;
    private static final String WATCHED = IntStream.rangeClosed(1, TMS).mapToObj(RefusedCredentialsTest::uid)
            .collect(Collectors.joining(","));
    /** The one TM whose last task failed: its alert shows that polling resumed. */
    private static final String BROKEN_TM = uid(37);
    private static final String TM_CALLS = "/web/api2/v1/transMemories/.*";
    /** The attempts after the first refusal: the next round, then 2 and 4 rounds later (monitor.cron: every second). */
    private static final int ATTEMPTS = 4;

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @Test
    void aWrongPasswordWith50TmsSignsInAtMostOncePerRoundEachTimeLaterAndPollingResumesOnceItIsAccepted()
            throws Exception {
        tmsAnswer();
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN)).willReturn(unauthorized()
                .withBody("{\"errorCode\":\"AuthInvalidCredentials\",\"errorDescription\":\"Wrong user name or password\"}")));

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.phrase().logins() >= ATTEMPTS);

            assertOnePerRoundEachLater(monitor, bed.phrase().arrivals(PhraseApiStub.LOGIN), "login");
            assertThat(bed.phrase().server().countRequestsMatching(getRequestedFor(anyUrl()).build()).getCount())
                    .as("no call to Phrase without a session").isZero();
            // one line for the refused check, one for the rest of the round, per attempt; none for the other TMs
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                int attempts = bed.phrase().logins();
                assertThat(logs.linesContaining("skipped this round")).hasSize(attempts)
                        .allSatisfy(line -> assertThat(line).contains("Phrase refused the login of user 'ops-bot'"));
                assertThat(logs.linesContaining("the rest of this round is skipped")).hasSize(attempts);
            });
            assertTheRefusalIsStillTold(monitor);
            assertThat(logs.all()).doesNotContain("s3cret-Passw0rd");

            // the password is set right in Phrase: the next attempt signs in, and every TM is polled again
            int refusedLogins = bed.phrase().logins();
            bed.phrase().loginIssues("token-1");
            // the credentials problem was told right after the first refused round; now the failed TM's alert comes
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> bed.slack().posts().stream().anyMatch(post -> post.contains(BROKEN_TM)));
            assertThat(bed.slack().posts()).filteredOn(post -> post.contains(BROKEN_TM)).hasSize(1);
            assertThat(bed.slack().posts()).filteredOn(post -> post.contains("Monitor problem: the Phrase account"))
                    .as("the refusal told once").hasSize(1);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
            assertThat(bed.phrase().logins()).as("one login, then its session is reused").isEqualTo(refusedLogins + 1);
            assertThat(health(monitor).credentialsRefused()).isFalse();
        }
    }

    @Test
    void aRefusedApiTokenCostsAtMostOneRefusedCallPerRoundEachTimeLaterAndPollingResumesOnceItIsAccepted()
            throws Exception {
        bed.phrase().server().stubFor(get(urlMatching(TM_CALLS)).willReturn(unauthorized()
                .withBody("{\"errorCode\":\"AuthUnauthorized\",\"errorDescription\":\"Invalid API token\"}")));
        Map<String, String> settings = settings();
        settings.remove("phrase.username");
        settings.remove("phrase.password");
        settings.put("phrase.api-token", "revoked-api-token");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.phrase().arrivals(TM_CALLS).size() >= ATTEMPTS);

            assertOnePerRoundEachLater(monitor, bed.phrase().arrivals(TM_CALLS), "refused call");
            assertTheRefusalIsStillTold(monitor);
            assertThat(logs.all()).doesNotContain("revoked-api-token");

            // Phrase takes the token again
            bed.phrase().server().resetMappings();
            tmsAnswer();
            // the credentials problem was told right after the first refused round; now the failed TM's alert comes
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> bed.slack().posts().stream().anyMatch(post -> post.contains(BROKEN_TM)));
            assertThat(bed.slack().posts()).filteredOn(post -> post.contains(BROKEN_TM)).hasSize(1);
            assertThat(bed.slack().posts()).filteredOn(post -> post.contains("Monitor problem: the Phrase account"))
                    .as("the refusal told once").hasSize(1);
            assertThat(bed.phrase().logins()).isZero();
        }
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settingsWatching(WATCHED);
        settings.put("alert.channels", "slack");
        // the credentials problem is told at the next problem check: soon, so the test sees it told once
        settings.put("monitor.problem-check-interval", "300ms");
        return settings;
    }

    /** Every watched TM exists; its last task finished, except BROKEN_TM's, which failed. */
    private void tmsAnswer() {
        for (int i = 1; i <= TMS; i++) {
            String uid = uid(i);
            bed.phrase().translationMemory(uid, "Glossary " + i)
                    .lastTask(uid, uid.equals(BROKEN_TM) ? failed("task-" + i, "TMX broken") : ok("task-" + i));
        }
    }

    /**
     * At most one attempt per round (the round under way may not have ended yet), and each wait longer than the one
     * before: 1, 2, 4 rounds of monitor.cron, which fires every second. The first wait can be shorter: Quartz may
     * fire a late tick at start-up just before the next one.
     */
    private static void assertOnePerRoundEachLater(RunningMonitor monitor, List<Instant> attempts, String what) {
        long rounds = monitor.context().getRegistry().lookupByNameAndType("pollingRounds", PollingRounds.class)
                .completed();
        assertThat(attempts).as("%ss in %s rounds", what, rounds).hasSizeGreaterThanOrEqualTo(ATTEMPTS)
                .hasSizeLessThanOrEqualTo((int) rounds + 1);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < ATTEMPTS; i++) {
            gaps.add(Duration.between(attempts.get(i - 1), attempts.get(i)).toMillis());
        }
        assertThat(gaps).as("ms between one %s and the next", what)
                .isSortedAccordingTo(Long::compare)
                .doesNotHaveDuplicates();
        assertThat(gaps.get(gaps.size() - 1)).as("the last wait, of %s ms", gaps)
                .isGreaterThanOrEqualTo(3_500)
                .isGreaterThanOrEqualTo(5 * gaps.get(0) / 2);
    }

    /** The refusal is still told: readiness is DOWN and the monitor's credentials problem is open. */
    private static void assertTheRefusalIsStillTold(RunningMonitor monitor) {
        MonitorProblems problems = monitor.context().getRegistry().lookupByNameAndType("monitorProblems",
                MonitorProblems.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(monitor).credentialsRefused()
                && problems.open().contains(MonitorProblems.CREDENTIALS));
    }

    private static MonitorHealth health(RunningMonitor monitor) {
        return monitor.context().getRegistry().lookupByNameAndType("monitorHealth", MonitorHealth.class);
    }

    private static String uid(int i) {
        return String.format("tm%02d", i);
    }
}
