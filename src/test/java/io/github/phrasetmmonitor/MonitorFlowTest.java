package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static io.github.phrasetmmonitor.support.PhraseDocuments.running;
import static io.github.phrasetmmonitor.support.PhraseDocuments.withWarnings;
import static io.github.phrasetmmonitor.support.PhraseApiStub.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.classify.TaskOutcome;
import io.github.phrasetmmonitor.support.RunningMonitor;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole flow over the real routes: every outcome, one alert per failed task and channel, nothing else. */
class MonitorFlowTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1");
        bed.phrase().translationMemory("tmOk", "Marketing EN-DE")
                .lastTask("tmOk", ok("task-ok"))
                .translationMemory("tmRunning", "Support EN-FR")
                .lastTask("tmRunning", running("task-running"))
                .translationMemory("tmWarn", "Docs EN-JA")
                .lastTask("tmWarn", withWarnings("task-warn"))
                .translationMemory("tmNever", "Fresh EN-ES")
                .lastTask("tmNever", status(404).withBody("{\"errorCode\":\"ResourceNotFound\"}"))
                .translationMemory("tmEmpty", "Empty EN-IT")
                .lastTask("tmEmpty", status(204))
                .translationMemory("tmBlank", "Blank EN-PL")
                .lastTask("tmBlank", status(200).withBody(" \r\n "))
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-42", "The TMX file is not valid"));
    }

    private Map<String, String> settings() {
        return bed.settingsWatching("tmOk,tmRunning,tmWarn,tmNever,tmEmpty,tmBlank,tmFailed");
    }

    @Test
    void alertsTheFailedTaskOncePerChannelAndNothingElse() throws Exception {
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            assertThat(monitor.awaitRounds(3, 30)).as("three polling rounds").isTrue();
            // on a busy machine a check may outlast the 1 s cron, and the next round skips that TM: no error either
            assertThat(logs.linesContaining("skipped this round"))
                    .filteredOn(line -> !line.contains("its check from an earlier round is still running"))
                    .as("404, 204 and a blank 200 all mean the TM never ran a task, none is an error").isEmpty();

            assertThat(bed.slack().posts()).hasSize(1);
            assertThat(bed.slack().posts().get(0))
                    .contains("Glossary EN-DE", "tmFailed", "IMPORT_TMX", "task-42", "ERROR", "TMX_INVALID",
                            "The TMX file is not valid", "line 12: unexpected element", "2023-11-07 05:31:56 UTC");
            MimeMessage[] mails = bed.smtp().getReceivedMessages();
            assertThat(mails).hasSize(1);
            assertThat(mails[0].getSubject()).isEqualTo("[Phrase TM] IMPORT_TMX failed: Glossary EN-DE");
            assertThat(mails[0].getAllRecipients()).extracting(Object::toString).containsExactly("l10n-ops@example.com");
            assertThat(mails[0].getMessageID()).as("in the sender's domain, not the SMTP host's (127.0.0.1)")
                    .endsWith("@example.com>");
            assertThat(Mails.text(mails[0])).contains("tmFailed", "task-42", "TMX_INVALID");
            assertThat(bed.phrase().logins()).as("one login, token reused for every call").isEqualTo(1);
            assertThat(monitor.context().getTypeConverterRegistry().lookup(TaskOutcome.class, String.class))
                    .as("outcome comparisons find a direct converter, no registry scan per TM").isNotNull();
        }
    }

    @Test
    void aNewFailedTaskOfTheSameTmIsAlertedAgain() throws Exception {
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            bed.phrase().lastTask("tmFailed", failed("task-43", "Second import broke too"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 2);
            assertThat(bed.slack().posts().get(1)).contains("task-43", "Second import broke too");
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.smtp().getReceivedMessages().length == 2);
        }
    }
}
