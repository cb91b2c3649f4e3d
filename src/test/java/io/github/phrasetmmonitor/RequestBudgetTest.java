package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stub never sees more calls in flight than phrase.max-concurrent-requests, nor faster than
 * phrase.max-requests-per-minute allows; a 429 is followed by a pause, not a burst.
 */
class RequestBudgetTest {

    private static final String LAST_TASK = "/web/api2/v1/transMemories/[^/]+/lastBackgroundTask";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        IntStream.range(0, 30).forEach(i -> bed.phrase().translationMemory("tm" + i, "TM " + i));
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settings();
        settings.remove("phrase.username");
        settings.remove("phrase.password");
        settings.put("phrase.api-token", "api-token");
        settings.put("alert.channels", "slack");
        settings.put("monitor.tm-uids", IntStream.range(0, 30).mapToObj(i -> "tm" + i).collect(Collectors.joining(",")));
        return settings;
    }

    @Test
    void neverMoreCallsInFlightThanTheCapButSeveralAtOnce() throws Exception {
        bed.phrase().server().stubFor(get(urlPathMatching(LAST_TASK))
                .willReturn(okJson(ok("t")).withFixedDelay(150)));
        Map<String, String> settings = settings();
        settings.put("phrase.max-concurrent-requests", "3");
        settings.put("phrase.max-requests-per-minute", "60000");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            assertThat(monitor.awaitRounds(2, 60)).isTrue();
        }
        assertThat(bed.phrase().maxInFlight()).isEqualTo(3);
    }

    @Test
    void callsAreSpreadEvenlyWithinTheRequestsPerMinute() throws Exception {
        bed.phrase().server().stubFor(get(urlPathMatching(LAST_TASK)).willReturn(okJson(ok("t"))));
        Map<String, String> settings = settings();
        settings.put("phrase.max-requests-per-minute", "300");
        settings.put("phrase.max-concurrent-requests", "4");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.phrase().arrivals(".*").size() >= 25);
        }
        // one request every 200 ms: any 10 consecutive gaps span at least ~2 s (a loaded machine may delay one
        // request's arrival by a few hundred ms, shortening the span that starts with it, but cannot make the pace
        // itself faster; a burst of four would leave 10 gaps spanning 1.4 s)
        List<Instant> arrivals = bed.phrase().arrivals(".*");
        for (int i = 10; i < arrivals.size(); i++) {
            assertThat(Duration.between(arrivals.get(i - 10), arrivals.get(i)))
                    .as("span of the 10 gaps before request %d; 300/min means one every 200 ms", i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1_600));
        }
    }

    @Test
    void aTooManyRequestsAnswerPausesEveryCallForRetryAfter() throws Exception {
        bed.phrase().server().stubFor(get(urlPathMatching(LAST_TASK)).atPriority(5).willReturn(okJson(ok("t"))));
        bed.phrase().server().stubFor(get(urlPathMatching("/web/api2/v1/transMemories/tm5/lastBackgroundTask"))
                .atPriority(1).inScenario("limit").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("limited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"errorCode\":\"TooManyRequests\"}")));
        Map<String, String> settings = settings();
        settings.put("phrase.max-requests-per-minute", "60000");
        settings.put("phrase.max-concurrent-requests", "2");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            assertThat(monitor.awaitRounds(1, 30)).isTrue();
            assertThat(logs.all()).contains("Phrase answered 429 Too Many Requests; pausing all calls for 1 s")
                    .doesNotContain("TM tm5 skipped this round");
        }
        Instant tooMany = bed.phrase().server().getAllServeEvents().stream()
                .filter(event -> event.getResponse().getStatus() == 429)
                .map(event -> event.getRequest().getLoggedDate().toInstant()).findFirst().orElseThrow();
        // calls that started before the monitor had read the 429 (the stub answers within a few ms) are not a burst
        List<Instant> duringPause = bed.phrase().arrivals(".*").stream()
                .filter(at -> at.isAfter(tooMany.plusMillis(100)) && at.isBefore(tooMany.plusMillis(900))).toList();
        assertThat(duringPause).as("calls started during the Retry-After pause").isEmpty();
        List<Instant> tm5 = bed.phrase().arrivals(".*/tm5/lastBackgroundTask");
        assertThat(tm5).hasSizeGreaterThanOrEqualTo(2);
        assertThat(Duration.between(tm5.get(0), tm5.get(1))).as("the refused call is retried after Retry-After")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aTickDuringARunningRoundIsSkippedNotStacked() throws Exception {
        bed.phrase().server().stubFor(get(urlPathMatching(LAST_TASK)).willReturn(okJson(ok("t")).withFixedDelay(400)));
        Map<String, String> settings = settings();
        settings.put("phrase.max-concurrent-requests", "2");
        settings.put("phrase.max-requests-per-minute", "60000");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !logs.linesContaining("Skipping this cron tick: the round started at").isEmpty());
            assertThat(bed.phrase().maxInFlight()).isLessThanOrEqualTo(2);
        }
    }
}
