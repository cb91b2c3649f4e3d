package io.github.phrasetmmonitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.SlackRecorder;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Text from Phrase is untrusted: it cannot ping a Slack channel, disguise a link, or steer an email. */
class EscapingTest {

    /** A TM name and error crafted to abuse both channels. */
    private static final String HOSTILE_NAME = "<!channel> Legal & <https://evil.example|click here>\r\nBcc: thief@evil.example";
    private static final String HOSTILE_ERROR = "<!here> see <https://evil.example|the log>\r\nTo: thief@evil.example";

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path stateDir;

    PhraseApiStub phrase;
    SlackRecorder slack;

    @BeforeEach
    void stubs() throws Exception {
        phrase = new PhraseApiStub().loginIssues("token-1");
        phrase.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .get("/web/api2/v1/transMemories/tmEvil")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        "{\"uid\":\"tmEvil\",\"name\":" + json(HOSTILE_NAME) + "}")));
        phrase.lastTask("tmEvil", "{\"status\":\"ERROR\",\"lastTaskError\":" + json(HOSTILE_ERROR)
                + ",\"asyncRequest\":{\"id\":\"task-evil\",\"action\":\"IMPORT_TMX\",\"asyncResponse\":{"
                + "\"errorCode\":\"X\",\"errorDesc\":" + json(HOSTILE_ERROR) + "}}}");
        slack = new SlackRecorder();
    }

    @AfterEach
    void stop() {
        phrase.close();
        slack.close();
    }

    @Test
    void hostileTextIsEscapedInSlackAndCannotTouchEmailHeaders() throws Exception {
        Map<String, String> settings = RunningMonitor.settings(phrase.baseUrl(), slack, smtp.getSmtp().getPort(), stateDir);
        settings.put("monitor.tm-uids", "tmEvil");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> slack.posts().size() == 1 && smtp.getReceivedMessages().length == 1);
        }

        String post = slack.posts().get(0);
        assertThat(post).doesNotContain("<!channel>", "<!here>", "<https://evil.example")
                .contains("&lt;!channel&gt;", "&lt;!here&gt;", "&amp;", "&lt;https://evil.example|click here&gt;");

        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(Arrays.stream(mail.getAllRecipients()).map(Address::toString))
                .containsExactly("l10n-ops@example.com");
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getSubject()).doesNotContain("\r", "\n").startsWith("[Phrase TM] IMPORT_TMX failed: <!channel> Legal");
        assertThat(smtp.getReceivedMessagesForDomain("evil.example")).isEmpty();
        assertThat(Mails.text(mail)).contains("task-evil");
        assertThat(Mails.html(mail)).contains("task-evil", "&lt;!channel&gt; Legal &amp; &lt;https://evil.example")
                .doesNotContain("<!channel>", "<https://evil.example");
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
