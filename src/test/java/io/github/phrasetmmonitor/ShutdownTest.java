package io.github.phrasetmmonitor;

import io.github.phrasetmmonitor.support.StateFile;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.FakeSmtpServer;
import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, as an orchestrator sends it: the TM being checked and the alert being delivered finish, the rest of the
 * round is skipped, and the process exits within camel.main.shutdown-timeout. Runs the monitor in its own JVM.
 */
class ShutdownTest {

    /** Shorter than the default 30 s so a hang fails the test quickly; the assertion is the same. */
    private static final int SHUTDOWN_TIMEOUT = 15;

    @TempDir
    Path workDir;

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        MonitorProcess.prepareWorkDir(workDir);
    }

    private Map<String, String> env(String tmUids) {
        Map<String, String> env = MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(),
                workDir.resolve("data"), tmUids);
        env.put("CAMEL_MAIN_SHUTDOWN_TIMEOUT", Integer.toString(SHUTDOWN_TIMEOUT));
        return env;
    }

    /** lastBackgroundTask calls for tm{first}..tm{last}, together. */
    private int lastTaskCalls(int first, int last) {
        return IntStream.rangeClosed(first, last).map(i -> lastTaskCalls("tm" + i)).sum();
    }

    private int lastTaskCalls(String uid) {
        return bed.phrase().server().countRequestsMatching(getRequestedFor(
                urlEqualTo("/web/api2/v1/transMemories/" + uid + "/lastBackgroundTask")).build()).getCount();
    }

    /** Must hold: the round stops after the TMs in progress, their checks complete, the process exits in time. */
    @Test
    void aRoundInProgressStopsAfterTheTmBeingChecked() throws Exception {
        // Phrase takes 2 s to answer, so the SIGTERM arrives while the first checks are still waiting for it
        IntStream.rangeClosed(1, 6).forEach(i -> bed.phrase().translationMemory("tm" + i, "TM " + i)
                .lastTask("tm" + i, okJson(ok("task-" + i)).withFixedDelay(2_000)));
        try (MonitorProcess monitor = MonitorProcess.start(workDir, env("tm1,tm2,tm3,tm4,tm5,tm6"))) {
            // Five polling threads (phrase.max-concurrent-requests + 1) take tm1..tm5 in split order: four call
            // Phrase, the fifth waits for a request slot; tm6 waits for a thread. Which four call first is up to
            // the threads, so the test waits for any four.
            await().atMost(Duration.ofSeconds(60)).until(() -> lastTaskCalls(1, 5) == 4);

            monitor.terminate();

            assertThat(monitor.awaitExit(SHUTDOWN_TIMEOUT + 10)).as("exited within the shutdown timeout").isTrue();
            assertThat(lastTaskCalls(1, 5)).as("the TMs being checked were checked").isEqualTo(5);
            assertThat(lastTaskCalls("tm6")).as("the rest of the round was skipped; the monitor wrote:%n%s",
                    monitor.output()).isZero();
            assertThat(monitor.output())
                    .contains("JVM shutdown hook triggered by SIGTERM")
                    .doesNotContain("skipped this round", "Forcing shutdown", "ERROR [", "\tat ");
        }
    }

    /**
     * Must hold: a hung party cannot keep the process alive. Slack accepts the post and never answers, the SMTP server
     * trickles its greeting a byte a second, and one TM's answer trickles too, each allowed 60 s; SIGTERM still ends
     * the process within the shutdown timeout.
     */
    @Test
    void hungChannelsAndATricklingTmDoNotHoldTheShutdown() throws Exception {
        bed.phrase().translationMemory("tm1", "Glossary EN-DE").lastTask("tm1", failed("task-1", "TMX broken"));
        String document = failed("task-2", "x");
        // tm2 answers at once until the alert of tm1 is under way: a round's alerts go out once its checks are over
        bed.phrase().translationMemory("tm2", "Trickle EN-FR").lastTask("tm2", okJson(ok("task-2")));
        bed.slack().slowDown();
        try (FakeSmtpServer smtp = new FakeSmtpServer(0, FakeSmtpServer.Behaviour.TRICKLING)) {
            Map<String, String> env = env("tm1,tm2");
            env.put("ALERT_CHANNELS", "slack,email");
            env.put("ALERT_EMAIL_TO", "l10n-ops@example.com");
            env.put("ALERT_EMAIL_FROM", "phrase-tm-monitor@example.com");
            env.put("ALERT_EMAIL_SMTP_HOST", "127.0.0.1");
            env.put("ALERT_EMAIL_SMTP_PORT", Integer.toString(smtp.port()));
            env.put("ALERT_EMAIL_STARTTLS", "false");
            env.put("ALERT_EMAIL_TIMEOUT", "60s");
            env.put("ALERT_SLACK_TIMEOUT", "60s");
            env.put("PHRASE_READ_TIMEOUT", "60s");
            try (MonitorProcess monitor = MonitorProcess.start(workDir, env)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> bed.slack().attempts() >= 1
                        && smtp.connections() >= 1);
                int before = lastTaskCalls("tm2");
                bed.phrase().lastTask("tm2", okJson(document)
                        .withChunkedDribbleDelay(document.length(), document.length() * 1000));
                await().atMost(Duration.ofSeconds(60)).until(() -> lastTaskCalls("tm2") > before);

                long sent = System.nanoTime();
                monitor.terminate();

                assertThat(monitor.awaitExit(SHUTDOWN_TIMEOUT + 10))
                        .as("exited within the shutdown timeout; it wrote:%n%s", monitor.output()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - sent))
                        .isLessThan(Duration.ofSeconds(SHUTDOWN_TIMEOUT + 10));
                assertThat(monitor.output()).as("nothing left running was recorded as sent")
                        .doesNotContain("alert for TM tm1 task task-1 sent");
            }
        } finally {
            bed.slack().speedUp();
        }
    }

    /** Must hold: an alert whose delivery is in progress is delivered and recorded, so a restart does not resend it. */
    @Test
    void aDeliveryInProgressFinishesAndIsRecorded() throws Exception {
        bed.phrase().translationMemory("tm1", "Glossary EN-DE").lastTask("tm1", failed("task-1", "TMX broken"));
        bed.slack().holdAnswers();
        try (MonitorProcess monitor = MonitorProcess.start(workDir, env("tm1"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> bed.slack().posts().size() == 1);

            monitor.terminate();
            // Slack answers a moment after the SIGTERM
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(monitor::isAlive);
            bed.slack().release();

            assertThat(monitor.awaitExit(SHUTDOWN_TIMEOUT + 10)).as("exited within the shutdown timeout").isTrue();
            assertThat(monitor.output()).contains("Slack alert for TM tm1 task task-1 sent")
                    .doesNotContain("not delivered", "ERROR [");
        }
        assertThat(StateFile.deliveredAlerts(workDir.resolve("data"))).contains("slack:tm1:task-1");

        try (MonitorProcess restarted = MonitorProcess.start(workDir, env("tm1"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> lastTaskCalls("tm1") >= 3);
            assertThat(bed.slack().posts()).as("not sent again after the restart").hasSize(1);
        }
    }
}
