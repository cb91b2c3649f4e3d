package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.phrasetmmonitor.support.Deadline;
import io.github.phrasetmmonitor.support.FakeSmtpServer;
import io.github.phrasetmmonitor.support.FreePort;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Slack and SMTP down (connection refused), slow (no answer within phrase.read-timeout, alert.email.timeout) and
 * refusing (Slack 403, SMTP 554). What must hold, for each: the other channel delivers once and is not held back; the
 * failed delivery is one warning line per round and counted; the monitor keeps polling; once the channel is back the
 * alert arrives exactly once. (A post that Slack only answers after the monitor gave up counts as dropped here: were
 * it posted, the next round's retry would show it twice, which is the at-least-once price of a timeout.)
 */
class ChannelFaultsTest {

    enum Outage { DOWN, SLOW, REFUSING }

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tm1", "Glossary EN-DE")
                .lastTask("tm1", failed("task-1", "TMX broken"));
    }

    private Map<String, String> settings(int smtpPort) {
        Map<String, String> settings = bed.settingsWatching("tm1", smtpPort);
        settings.put("phrase.read-timeout", "1s");
        // the same deadlines hold once the channel is back: a healthy exchange must fit in them, or it is cut off
        // after the server took the message and sent again (the at-least-once price of a timeout, above). Under a
        // CPU hog a local GreenMail exchange took more than 1 s, and the recovered server got the alert three times
        settings.put("alert.slack.timeout", "5s");
        settings.put("alert.email.timeout", "5s");
        return settings;
    }

    /**
     * The failed delivery is counted (its series is there from start-up at 0: the value tells). A scrape that does
     * not answer within the helper's 10 s on a starved machine is asked again rather than failing the test: what is
     * asserted is the counter, not the scrape's speed.
     */
    private static void awaitFailedDeliveries(RunningMonitor monitor, String channel) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> Management.total(monitor.managementUrl(),
                        "phrase_monitor_alerts_failed_total{channel=\"" + channel + "\"") > 0);
    }

    @ParameterizedTest(name = "Slack {0}")
    @EnumSource(Outage.class)
    void aSlackOutageHoldsNothingBackLosesNothingAndRepeatsNothing(Outage outage) throws Exception {
        switch (outage) {
            case DOWN -> bed.slack().goDown();
            case SLOW -> bed.slack().slowDown();
            case REFUSING -> bed.slack().answerWith(403);
        }
        try (LogCapture logs = LogCapture.attach();
             RunningMonitor monitor = RunningMonitor.start(settings(bed.smtp().getSmtp().getPort()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.smtp().getReceivedMessages().length == 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !logs.linesContaining("slack alert for TM tm1 task task-1 not delivered").isEmpty());
            assertThat(monitor.awaitRounds(2, 60)).as("the monitor keeps polling").isTrue();
            assertThat(bed.slack().posts()).isEmpty();
            assertThat(logs.linesContaining("slack alert for TM tm1 task task-1 not delivered"))
                    .isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("WARN").doesNotContain("\n"));
            awaitFailedDeliveries(monitor, "slack");

            switch (outage) {
                case DOWN -> bed.slack().comeBack();
                case SLOW -> bed.slack().speedUp();
                case REFUSING -> bed.slack().answerWith(200);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
            assertThat(monitor.awaitRounds(2, 60)).isTrue();
            assertThat(bed.slack().posts()).hasSize(1);
            assertThat(bed.smtp().getReceivedMessages()).as("email was not repeated").hasSize(1);
        }
    }

    /** A GreenMail SMTP server started on the given port, or null when the port cannot be bound yet. */
    private static GreenMail startedOn(ServerSetup setup) {
        GreenMail server = new GreenMail(setup);
        try {
            server.start();
            return server;
        } catch (IllegalStateException portStillTaken) {
            server.stop();
            return null;
        }
    }

    @ParameterizedTest(name = "SMTP {0}")
    @EnumSource(Outage.class)
    void anSmtpOutageHoldsNothingBackLosesNothingAndRepeatsNothing(Outage outage) throws Exception {
        int port = FreePort.pick();
        FakeSmtpServer broken = switch (outage) {
            case DOWN -> null;
            case SLOW -> new FakeSmtpServer(port, FakeSmtpServer.Behaviour.SILENT);
            case REFUSING -> new FakeSmtpServer(port, FakeSmtpServer.Behaviour.REFUSING);
        };
        ServerSetup samePort = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        samePort.setServerStartupTimeout(5_000);
        AtomicReference<GreenMail> started = new AtomicReference<>();
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings(port))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !logs.linesContaining("email alert for TM tm1 task task-1 not delivered").isEmpty());
            assertThat(monitor.awaitRounds(2, 60)).as("the monitor keeps polling").isTrue();
            assertThat(logs.linesContaining("email alert for TM tm1 task task-1 not delivered"))
                    .isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("WARN").doesNotContain("\n"));
            awaitFailedDeliveries(monitor, "email");
            if (broken != null) {
                assertThat(broken.connections()).isPositive();
                broken.close();
            }

            // the port the broken server just closed can take a moment to be free again on a loaded machine
            started.set(await().atMost(Duration.ofSeconds(30)).until(() -> startedOn(samePort), Objects::nonNull));
            GreenMail recovered = started.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> recovered.getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(2, 60)).isTrue();
            assertThat(recovered.getReceivedMessages()).hasSize(1);
            assertThat(bed.slack().posts()).as("Slack was not repeated").hasSize(1);
        } finally {
            if (started.get() != null) {
                Deadline.within(Duration.ofSeconds(30), "stopping the recovered SMTP server", started.get()::stop);
            }
            if (broken != null) {
                broken.close();
            }
        }
    }
}
