package io.github.phrasetmmonitor.summary;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.Message;
import com.slack.api.model.block.SectionBlock;
import io.github.phrasetmmonitor.alert.AlertTemplates;
import io.github.phrasetmmonitor.settings.TmLinks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary's wording: the shipped templates' summary part, and the same built in for copies without it. */
class SummaryMessagesUnitTest {

    private static final Path SHIPPED = Path.of("templates");
    private static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");

    @TempDir
    Path older;

    private static SummaryDelivery delivery() {
        Map<String, Long> checks = new LinkedHashMap<>();
        SummaryReport.OUTCOMES.forEach(outcome -> checks.put(outcome, 0L));
        checks.put("OK", 84L);
        checks.put("ERROR", 4L);
        SummaryReport report = new SummaryReport(MONDAY, MONDAY.plus(Duration.ofDays(7)), 28, checks, 5, 1, 1, 4,
                Duration.ofHours(3), Duration.ofHours(19),
                List.of(new SummaryReport.TmFailures("tm-a", "Legal <b>EN</b> & Co", 3)),
                List.of(new SummaryReport.ProblemSpan("stale", MONDAY.plus(Duration.ofHours(150)),
                        Duration.ofHours(18), true)));
        return new SummaryDelivery("email", "ops@example.com", report);
    }

    @Test
    void slackSaysThePeriodsNumbersWithNamesEscaped() {
        Message message = new SummaryMessages(AlertTemplates.load(SHIPPED), TmLinks.NONE).slack(delivery());
        String body = ((SectionBlock) message.getBlocks().get(1)).getText().getText();
        assertThat(body).contains("*2026-11-30 00:00 UTC to 2026-12-07 00:00 UTC*",
                "Rounds: 28, checks: 88 (OK 84, ERROR 4)", "Tasks failed: 5, stuck: 1, still open: 1",
                "Resolved: 4, time to resolve: median 3h, worst 19h",
                "• Legal &lt;b&gt;EN&lt;/b&gt; &amp; Co (tm-a): 3", "• stale from 2026-12-06 06:00 UTC: 18h, still open");
        assertThat(message.getText()).isEqualTo("Phrase TM summary 2026-11-30 00:00 UTC to 2026-12-07 00:00 UTC: 5"
                + " failed, 1 stuck, 1 still open");
    }

    @Test
    void emailHasSubjectTextAndEscapedHtml() {
        DefaultMessage mail = new DefaultMessage(new DefaultCamelContext());
        new SummaryMessages(AlertTemplates.load(SHIPPED), TmLinks.NONE).email(delivery(), mail);
        assertThat(mail.getHeader("To")).isEqualTo("ops@example.com");
        assertThat(mail.getHeader("Subject")).isEqualTo("[Phrase TM] Summary 2026-11-30 00:00 UTC to 2026-12-07"
                + " 00:00 UTC: 5 failed, 1 stuck, 1 still open");
        assertThat(mail.getHeader("CamelMailAlternativeBody", String.class))
                .contains("- Legal <b>EN</b> & Co (tm-a): 3", "median 3h, worst 19h");
        assertThat(mail.getBody(String.class)).contains("<li>Legal &lt;b&gt;EN&lt;/b&gt; &amp; Co (tm-a): 3</li>")
                .doesNotContain("<b>EN");
    }

    @Test
    void aCopyOfTheTemplatesWithoutTheSummaryPartLoadsAndSaysTheSame() throws IOException {
        try (Stream<Path> files = Files.list(SHIPPED)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                int summary = text.indexOf("# The scheduled summary");
                Files.writeString(older.resolve(file.getFileName()), summary < 0 ? text : text.substring(0, summary));
            }
        }
        assertThat(Files.readString(older.resolve("slack-alert.yaml"))).doesNotContain("summary:");
        SummaryMessages shipped = new SummaryMessages(AlertTemplates.load(SHIPPED), TmLinks.NONE);
        SummaryMessages builtIn = new SummaryMessages(AlertTemplates.load(older), TmLinks.NONE);
        assertThat(builtIn.slack(delivery())).isEqualTo(shipped.slack(delivery()));
        DefaultMessage one = new DefaultMessage(new DefaultCamelContext());
        DefaultMessage other = new DefaultMessage(new DefaultCamelContext());
        shipped.email(delivery(), one);
        builtIn.email(delivery(), other);
        assertThat(other.getHeaders()).isEqualTo(one.getHeaders());
        assertThat(other.getBody(String.class)).isEqualTo(one.getBody(String.class));
    }

    @Test
    void durationsAsPeopleSayThem() {
        assertThat(SummaryMessages.words(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(SummaryMessages.words(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(SummaryMessages.words(Duration.ofMinutes(200))).isEqualTo("3h 20m");
        assertThat(SummaryMessages.words(Duration.ofHours(27).plusMinutes(5))).isEqualTo("1d 3h");
    }
}
