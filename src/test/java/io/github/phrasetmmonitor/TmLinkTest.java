package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 24, item 3, over the real routes: the Slack post and the email of a failed task, and its resolved notice,
 * link to the TM in Phrase's web application on the host of phrase.base-url (here the stand-in's); with
 * alert.phrase-tm-url off they link nothing.
 */
class TmLinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() {
        bed.phrase().loginIssues("token-1");
        bed.phrase().translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-42", "The TMX file is not valid"));
    }

    /** The URLs of the buttons of a Slack post. */
    private static List<String> buttonUrls(String post) throws Exception {
        List<String> urls = new ArrayList<>();
        for (JsonNode block : JSON.readTree(post).path("blocks")) {
            if (block.path("type").asText().equals("actions")) {
                block.path("elements").forEach(button -> urls.add(button.path("url").asText()));
            }
        }
        return urls;
    }

    @Test
    void theSlackPostAndTheEmailOfAFailedTaskAndItsResolvedNoticeLinkTheTm() throws Exception {
        String page = bed.phrase().baseUrl() + "/transMemory/show/tmFailed";
        assertThat(page).startsWith("http://127.0.0.1:");
        try (RunningMonitor monitor = RunningMonitor.start(bed.settingsWatching("tmFailed"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1
                    && bed.smtp().getReceivedMessages().length == 1);
            assertThat(buttonUrls(bed.slack().posts().get(0))).containsExactly(page);
            MimeMessage mail = bed.smtp().getReceivedMessages()[0];
            assertThat(Mails.text(mail)).contains("In Phrase: " + page);
            assertThat(Mails.html(mail)).contains("<a href=\"" + page + "\">Open the TM in Phrase</a>");

            bed.phrase().lastTask("tmFailed", ok("task-43"));
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 2
                    && bed.smtp().getReceivedMessages().length == 2);
            assertThat(bed.slack().posts().get(1)).contains("Resolved");
            assertThat(buttonUrls(bed.slack().posts().get(1))).containsExactly(page);
            assertThat(Mails.text(bed.smtp().getReceivedMessages()[1])).contains("In Phrase: " + page);
        }
    }

    @Test
    void withTheSettingOffTheyLinkNothing() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tmFailed");
        settings.put("alert.phrase-tm-url", "off");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1
                    && bed.smtp().getReceivedMessages().length == 1);
            String post = bed.slack().posts().get(0);
            assertThat(post).contains("Glossary EN-DE", "task-42");
            assertThat(buttonUrls(post)).isEmpty();
            assertThat(post).doesNotContain("transMemory");
            MimeMessage mail = bed.smtp().getReceivedMessages()[0];
            assertThat(Mails.text(mail)).contains("tmFailed").doesNotContain("transMemory", "In Phrase");
            assertThat(Mails.html(mail)).doesNotContain("transMemory", "<a ");
        }
    }
}
