package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * alert.summary-cron: with the real routes, summaries reach Slack and email through their templates' summary part
 * with the period's numbers; without the setting there is none, and no ledger.
 */
class SummaryTest {

    private static final Pattern ROUNDS = Pattern.compile("Rounds: (\\d+), checks: (\\d+)");

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-7", "TMX broken"))
                .translationMemory("tmOk", "Legal FR")
                .lastTask("tmOk", ok("task-1"));
    }

    @Test
    void aSummaryReachesSlackAndEmailWithThePeriodsNumbers() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tmFailed,tmOk");
        settings.put("alert.summary-cron", "0/2 * * * * ?");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            // the period in which the failure was found: its summary lists it, on both channels
            await().atMost(Duration.ofSeconds(30)).until(() -> slackSummaries().stream()
                    .anyMatch(post -> post.contains("Tasks failed: 1,")));
            await().atMost(Duration.ofSeconds(30)).until(() -> emailSummaries().stream()
                    .anyMatch(mail -> text(mail).contains("Tasks failed: 1,")));
            // and the summaries after it, that the next one covers only its own period
            int before = slackSummaries().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> slackSummaries().size() >= before + 1);
        }
        List<String> slack = slackSummaries();
        List<String> withFailure = slack.stream().filter(post -> post.contains("Tasks failed: 1,")).toList();
        assertThat(withFailure).as("the failure is in one period's summary").hasSize(1);
        assertThat(withFailure.get(0)).contains("still open: 1", "Glossary EN-DE", "tmFailed): 1",
                "TMs that failed most");
        assertThat(slack).allMatch(post -> post.contains("Tasks failed: 0,") || post.contains("Tasks failed: 1,"));
        // two TMs watched, each failed or OK every round: a period counts its rounds, and their checks by outcome
        // (a check that ends as its round does may count in the next period)
        long rounds = 0;
        long checks = 0;
        for (String post : slack) {
            Matcher counts = ROUNDS.matcher(post);
            assertThat(counts.find()).as(post).isTrue();
            rounds += Long.parseLong(counts.group(1));
            checks += Long.parseLong(counts.group(2));
            assertThat(post).doesNotContain("ERROR ", "NO_TASK ", "RUNNING ");
        }
        assertThat(checks).isBetween(2 * rounds - 2, 2 * rounds + 2);
        assertThat(rounds).isPositive();

        List<MimeMessage> mails = emailSummaries();
        MimeMessage mail = mails.stream().filter(one -> text(one).contains("Tasks failed: 1,")).findFirst()
                .orElseThrow();
        assertThat(MonitorTestBed.subject(mail)).startsWith("[Phrase TM] Summary ").contains("1 failed");
        assertThat(Mails.text(mail)).contains("Glossary EN-DE (tmFailed): 1", "still open: 1");
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("l10n-ops@example.com");
        // one summary per channel and period: as many mails as posts, give or take the one under way at the stop
        assertThat(Math.abs(mails.size() - slack.size())).isLessThanOrEqualTo(1);
    }

    @Test
    void offByDefaultNoSummaryAndNoLedger() throws Exception {
        try (RunningMonitor monitor = RunningMonitor.start(bed.settingsWatching("tmFailed,tmOk"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1
                    && bed.smtp().getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(4, 30)).isTrue();
        }
        assertThat(slackSummaries()).isEmpty();
        assertThat(emailSummaries()).isEmpty();
        assertThat(Files.exists(bed.stateDir().resolve("summaries.ledger"))).isFalse();
    }

    private static String text(MimeMessage mail) {
        try {
            return Mails.text(mail);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> slackSummaries() {
        return bed.slack().posts().stream().filter(post -> post.contains("Phrase TM summary")).toList();
    }

    private List<MimeMessage> emailSummaries() {
        return Arrays.stream(bed.smtp().getReceivedMessages())
                .filter(mail -> MonitorTestBed.subject(mail).startsWith("[Phrase TM] Summary")).toList();
    }
}
