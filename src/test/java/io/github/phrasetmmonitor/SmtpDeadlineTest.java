package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.ConnectProxy;
import io.github.phrasetmmonitor.support.FakeSmtpServer;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An SMTP server that trickles its greeting a byte a second never trips a per-read timeout. What must hold: each
 * attempt is cut near alert.email.timeout, directly and through the proxy, measured by the server (connection
 * accepted to closed by the monitor); the cut is retried like a lost connection and told in one warning line; Slack
 * still delivers; the monitor keeps polling.
 */
class SmtpDeadlineTest {

    private static final String NOT_DELIVERED = "email alert for TM tm1 task task-1 not delivered";
    /** Generous either way around the 2 s: "near the deadline", on a machine that may be busy. */
    private static final Duration EARLIEST = Duration.ofMillis(1_500);
    private static final Duration LATEST = Duration.ofSeconds(8);

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tm1", "Glossary EN-DE")
                .lastTask("tm1", failed("task-1", "TMX broken"));
    }

    /** Two retries, so a round makes three attempts: one retried failure cannot pass for a final one. */
    private Map<String, String> settings(int smtpPort) {
        Map<String, String> settings = bed.settingsWatching("tm1", smtpPort);
        settings.put("alert.email.timeout", "2s");
        settings.put("alert.delivery.retries", "2");
        return settings;
    }

    private void assertCutNearTheDeadlineRetriedAndToldOnce(FakeSmtpServer trickling, LogCapture logs,
                                                            RunningMonitor monitor) throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> !logs.linesContaining(NOT_DELIVERED).isEmpty());
        assertThat(trickling.connections()).as("the cut was retried").isGreaterThanOrEqualTo(3);
        assertThat(logs.linesContaining(NOT_DELIVERED)).allSatisfy(line -> assertThat(line).startsWith("WARN")
                .contains("SMTP server did not complete within alert.email.timeout (2s)").doesNotContain("\n"));
        assertThat(logs.linesContaining("DeadlineExceededException")).as("no stack trace anywhere").isEmpty();

        await().atMost(Duration.ofSeconds(30)).until(() -> trickling.cuts().size() >= 3);
        assertThat(trickling.cuts()).allSatisfy(cut -> assertThat(cut).isBetween(EARLIEST, LATEST));

        await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
        assertThat(monitor.awaitRounds(2, 60)).as("the monitor keeps polling").isTrue();
        assertThat(Management.total(monitor.managementUrl(), "phrase_monitor_alerts_failed_total{channel=\"email\""))
                .isPositive();
        assertThat(bed.slack().posts()).as("Slack was not repeated").hasSize(1);
        // gone before the monitor stops: the retry under way then fails at once, and the stop does not wait for it
        trickling.close();
    }

    @Test
    void aServerThatTricklesItsGreetingIsCutNearTheTimeoutAndRetried() throws Exception {
        try (FakeSmtpServer trickling = new FakeSmtpServer(0, FakeSmtpServer.Behaviour.TRICKLING);
             LogCapture logs = LogCapture.attach();
             RunningMonitor monitor = RunningMonitor.start(settings(trickling.port()))) {
            assertCutNearTheDeadlineRetriedAndToldOnce(trickling, logs, monitor);
        }
    }

    /** JavaMail opens its CONNECT tunnel on a socket of the same factory, so the proxy's part counts as well. */
    @Test
    void theDeadlineHoldsThroughTheProxyToo() throws Exception {
        try (FakeSmtpServer trickling = new FakeSmtpServer(0, FakeSmtpServer.Behaviour.TRICKLING);
             ConnectProxy proxy = new ConnectProxy();
             LogCapture logs = LogCapture.attach()) {
            Map<String, String> settings = proxy.carryingMail(settings(trickling.port()));

            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                assertCutNearTheDeadlineRetriedAndToldOnce(trickling, logs, monitor);
            }
            assertThat(proxy.targets()).isNotEmpty().allSatisfy(target ->
                    assertThat(target).isEqualTo("localhost:" + trickling.port()));
        }
    }
}
