package io.github.phrasetmmonitor.routes;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static io.github.phrasetmmonitor.support.PhraseDocuments.running;
import static io.github.phrasetmmonitor.support.PhraseDocuments.withWarnings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.config.MonitorConfiguration;
import io.github.phrasetmmonitor.model.BackgroundTasksTmDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.support.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.util.PropertiesHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Route-level tests of the real YAML routes with Camel's test kit (camel-test-main-junit5): the monitor is started
 * as camel-main starts it (application.properties, routes/, MonitorConfiguration), with the calls to Phrase and the
 * channel deliveries replaced by mock endpoints, so each route's decisions are seen directly, without a cron, a
 * Phrase stub or a Slack endpoint: the content-based router on every outcome, the routing into the incident pipeline,
 * and a digest against single alerts. The end-to-end tests (MonitorFlowTest, DigestTest, ...) keep proving the same
 * through real HTTP and SMTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentRoutesTest extends CamelMainTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Static: Camel's test support configures the context from its constructor, before instance fields are set. */
    private static final Path STATE_DIR = createStateDir();
    /** What the replaced fetch of lastBackgroundTask answers, per TM uid; absent: no task. */
    private final Map<String, String> lastTasks = new ConcurrentHashMap<>();

    private static Path createStateDir() {
        try {
            return Files.createTempDirectory("incident-routes");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(MonitorConfiguration.class);
        configuration.withRoutesIncludePattern("file:routes/*.camel.yaml");
        // the tests run each delivery pass themselves (deliverDue), so the monitor must start none of its own: the
        // problem check's first run comes at start-up whatever its interval, and wakes Slack's delivery thread; on a
        // loaded machine it came during a test, and that pass sent the test's digest a second time beside the
        // test's own pass (the replaced send route records nothing, so both passes found it due)
        configuration.withRouteFilterExcludePattern("watch-monitor-problems");
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        Properties overrides = PropertiesHelper.asProperties(
                "phrase.api-token", "route-test-token",
                "monitor.tm-uids", "tmA",
                // no round of its own: the test sends each check
                "monitor.cron", "0 0 0 1 1 ? 2099",
                "monitor.state-dir", STATE_DIR.toString(),
                "monitor.management-port", Integer.toString(FreePort.pick()),
                "monitor.problem-check-interval", "1h",
                "alert.channels", "slack",
                "alert.slack.webhook-url", "http://127.0.0.1:9/never-called");
        context.withUseOverridePropertiesWithPropertiesComponent(overrides);
        // Phrase is not called, and no notice is posted: their routes are replaced by mocks
        context.withMockEndpointsAndSkip("direct:(//)?(fetch-.*|send-slack-alert)");
        // the routing rules still run: the mock only counts what reaches them
        context.withMockEndpoints("direct:(//)?route-incident");
    }

    @Override
    protected void doPostSetup() throws Exception {
        getMockEndpoint("mock:direct:fetch-translation-memory").whenAnyExchangeReceived(exchange -> {
            String uid = exchange.getVariable("tmUid", String.class);
            exchange.getMessage().setBody(new TransMemoryDto("1", uid, "Docs " + uid, "en", List.of("de"), null, null));
        });
        getMockEndpoint("mock:direct:fetch-last-background-task").whenAnyExchangeReceived(exchange -> {
            String document = lastTasks.get(exchange.getVariable("tmUid", String.class));
            exchange.getMessage().setBody(document == null ? null : JSON.readValue(document, BackgroundTasksTmDto.class));
        });
    }

    private IncidentState incidents() {
        return context.getRegistry().lookupByNameAndType("incidentState", IncidentState.class);
    }

    /** One TM's check, as a round's split hands it out, done when the route and what it called are done. */
    private void check(String uid, String lastTask) {
        if (lastTask == null) {
            lastTasks.remove(uid);
        } else {
            lastTasks.put(uid, lastTask);
        }
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("check-translation-memory").whenDone(1).create();
        template.sendBody("direct:check-translation-memory", uid);
        assertThat(done.matches(10, TimeUnit.SECONDS)).as("the check of %s ended", uid).isTrue();
    }

    @Test
    void aFailedTaskIsRoutedAndRecordedAndALaterSuccessResolvesIt() {
        MockEndpoint routed = getMockEndpoint("mock:direct:route-incident");
        routed.reset();
        check("tmFail", failed("task-1", "TMX broken"));
        assertThat(routed.getReceivedCounter()).as("the routing rules decided who is told").isEqualTo(1);
        assertThat(routed.getReceivedExchanges().get(0).getVariable("incidentKind")).isEqualTo("task-failed");
        Incident failure = incidents().find("tmFail", "task-1").orElseThrow();
        assertThat(failure.routing().channels()).containsExactly("slack");
        assertThat(failure.routing().destination("slack")).isEqualTo("default");
        assertThat(failure.facts().tmName()).isEqualTo("Docs tmFail");

        check("tmFail", failed("task-1", "TMX broken"));
        assertThat(incidents().openIncidents()).as("a known failure is not recorded twice")
                .filteredOn(incident -> "tmFail".equals(incident.tmUid())).hasSize(1);

        incidents().alerted(failure.key(), "slack", "slack");
        check("tmFail", ok("task-2"));
        assertThat(incidents().find("tmFail", "task-1").orElseThrow().isResolved()).isTrue();
    }

    @Test
    void runningWarningsAndNoTaskAreNoIncidents() {
        MockEndpoint routed = getMockEndpoint("mock:direct:route-incident");
        routed.reset();
        check("tmRunning", running("task-r"));
        check("tmWarnings", withWarnings("task-w"));
        check("tmNothing", null);
        assertThat(routed.getReceivedCounter()).as("no outcome but FAILED reaches the routing rules").isZero();
        assertThat(incidents().openIncidents()).extracting(Incident::tmUid)
                .doesNotContain("tmRunning", "tmWarnings", "tmNothing");
    }

    @Test
    void aStatusOfMonitorFailedStatusesIsFailedWhateverElseTheTaskSays() {
        check("tmStatus", "{\"status\":\"FAILURE\",\"asyncRequest\":{\"id\":\"task-s\",\"action\":\"IMPORT_TMX\","
                + "\"asyncResponse\":{\"dateCreated\":\"2023-11-07T05:32:10Z\"}}}");
        assertThat(incidents().find("tmStatus", "task-s")).isPresent();
    }

    @Test
    void moreNewFailuresThanTheDigestThresholdAreOneNoticeAndFewerAreOneEach() throws Exception {
        for (int i = 0; i < 6; i++) {
            check("tmDigest" + i, failed("task-d" + i, "broken"));
        }
        List<Notice> first = deliverDue();
        assertThat(first).as("six new failures, threshold 5: one digest").singleElement().satisfies(digest -> {
            assertThat(digest.kind()).isEqualTo(Notice.Kind.DIGEST);
            assertThat(digest.incidents()).extracting(Incident::tmUid).contains("tmDigest0", "tmDigest5");
        });
        first.forEach(this::deliveredAsSent);

        check("tmSingle1", failed("task-s1", "broken"));
        check("tmSingle2", failed("task-s2", "broken"));
        assertThat(deliverDue()).as("two new failures: one alert each").hasSize(2)
                .allSatisfy(notice -> assertThat(notice.kind()).isEqualTo(Notice.Kind.ALERT));
    }

    /**
     * Runs Slack's delivery pass (route deliver-due) and returns the alerts and digests it handed to the replaced
     * send route; other notices due from the other tests (a resolved notice) are left out, and all are recorded as
     * taken, as the real send route would.
     */
    private List<Notice> deliverDue() {
        MockEndpoint slack = getMockEndpoint("mock:direct:send-slack-alert");
        slack.reset();
        template.send("direct:deliver-due", exchange -> exchange.setVariable("channel", "slack"));
        assertThat(slack.getReceivedExchanges())
                .as("only the test's own pass sent: another pass beside it would send the same notices again")
                .allSatisfy(exchange -> assertThat(exchange.getFromRouteId()).isEqualTo("deliver-due"));
        List<Notice> sent = slack.getReceivedExchanges().stream()
                .map(exchange -> exchange.getVariable("notice", Notice.class)).toList();
        sent.stream().filter(notice -> notice.kind() == Notice.Kind.RESOLVED).forEach(notice -> context.getRegistry()
                .lookupByNameAndType("alertPlan", io.github.phrasetmmonitor.alert.AlertPlanner.class).delivered(notice));
        return sent.stream().filter(notice -> notice.kind() != Notice.Kind.RESOLVED).toList();
    }

    /** The send route is replaced, so its last step, recording the delivery, is done here as it would be. */
    private void deliveredAsSent(Notice notice) {
        notice.incidents().forEach(incident -> incidents().alerted(incident.key(), "slack", "slack"));
    }
}
