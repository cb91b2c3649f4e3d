package io.github.phrasetmmonitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Text from Phrase is untrusted: it cannot ping a Slack channel, disguise a link, or steer an email. */
class EscapingTest {

    /** A TM name and error crafted to abuse both channels. */
    private static final String HOSTILE_NAME = "<!channel> Legal & <https://evil.example|click here>\r\nBcc: thief@evil.example";
    private static final String HOSTILE_ERROR = "<!here> see <https://evil.example|the log>\r\nTo: thief@evil.example";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1");
        bed.phrase().server().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .get("/web/api2/v1/transMemories/tmEvil")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        "{\"uid\":\"tmEvil\",\"name\":" + json(HOSTILE_NAME) + "}")));
        bed.phrase().lastTask("tmEvil", "{\"status\":\"ERROR\",\"lastTaskError\":" + json(HOSTILE_ERROR)
                + ",\"asyncRequest\":{\"id\":\"task-evil\",\"action\":\"IMPORT_TMX\",\"asyncResponse\":{"
                + "\"errorCode\":\"X\",\"errorDesc\":" + json(HOSTILE_ERROR) + "}}}");
    }

    @Test
    void hostileTextIsEscapedInSlackAndCannotTouchEmailHeaders() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tmEvil");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 1);
        }

        String post = bed.slack().posts().get(0);
        assertThat(post).doesNotContain("<!channel>", "<!here>", "<https://evil.example")
                .contains("&lt;!channel&gt;", "&lt;!here&gt;", "&amp;", "&lt;https://evil.example|click here&gt;");

        MimeMessage mail = bed.smtp().getReceivedMessages()[0];
        assertThat(Arrays.stream(mail.getAllRecipients()).map(Address::toString))
                .containsExactly("l10n-ops@example.com");
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getSubject()).doesNotContain("\r", "\n").startsWith("[Phrase TM] IMPORT_TMX failed: <!channel> Legal");
        assertThat(bed.smtp().getReceivedMessagesForDomain("evil.example")).isEmpty();
        assertThat(Mails.text(mail)).contains("task-evil");
        assertThat(Mails.html(mail)).contains("task-evil", "&lt;!channel&gt; Legal &amp; &lt;https://evil.example")
                .doesNotContain("<!channel>", "<https://evil.example");
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
