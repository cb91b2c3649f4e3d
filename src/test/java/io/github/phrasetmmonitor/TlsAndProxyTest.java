package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.phrasetmmonitor.support.ConnectProxy;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.ScriptedSmtpServer;
import io.github.phrasetmmonitor.support.SlackRecorder;
import io.github.phrasetmmonitor.support.TestCertificates;
import io.github.phrasetmmonitor.support.TlsListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corporate networks: certificates are always verified (an untrusted one is refused, whatever else is set), a trust
 * store makes a private CA trusted for the Phrase login, the Phrase calls, the Slack webhook and SMTP's STARTTLS,
 * where the server's name is checked too, and an HTTP proxy carries all of them.
 */
class TlsAndProxyTest {

    private static final String STORE_PASSWORD = "test-store-pass";
    private static final String HOOK = "/services/T000/B000/corp-hook";
    private static final String EMAIL_NOT_DELIVERED = "email alert for TM tm1 task task-1 not delivered";

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path stateDir;

    @TempDir
    Path certificates;

    WireMockServer server;
    SlackRecorder unusedSlack;

    @BeforeEach
    void recorder() throws Exception {
        unusedSlack = new SlackRecorder();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        unusedSlack.close();
    }

    /** Phrase and Slack in one stub server. */
    private void stubPhraseAndSlack() {
        server.stubFor(post(urlEqualTo("/web/api2/v1/auth/login"))
                .willReturn(okJson("{\"token\":\"token-1\",\"expires\":\"2099-01-01T00:00:00Z\"}")));
        server.stubFor(get(urlEqualTo("/web/api2/v1/transMemories/tm1"))
                .willReturn(okJson("{\"uid\":\"tm1\",\"name\":\"Glossary EN-DE\"}")));
        server.stubFor(get(urlEqualTo("/web/api2/v1/transMemories/tm1/lastBackgroundTask"))
                .willReturn(okJson(failed("task-1", "TMX broken"))));
        server.stubFor(post(urlEqualTo(HOOK)).willReturn(ok("ok")));
    }

    private Map<String, String> settings(String phraseBaseUrl, String webhookUrl) {
        Map<String, String> settings = RunningMonitor.settings(phraseBaseUrl, unusedSlack, smtp.getSmtp().getPort(),
                stateDir);
        settings.put("monitor.tm-uids", "tm1");
        settings.put("alert.channels", "slack");
        settings.put("alert.slack.webhook-url", webhookUrl);
        return settings;
    }

    private int slackPosts() {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(HOOK))
                .withRequestBody(containing("task-1")).build()).getCount();
    }

    /** Must hold: an untrusted certificate stops every call; with the trust store everything goes through. */
    @Test
    void anUntrustedCertificateIsRefusedAndTheTrustStoreMakesItTrusted() throws Exception {
        Path store = TestCertificates.selfSigned(certificates.resolve("phrase.p12"), STORE_PASSWORD);
        server = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(store.toString()).keystorePassword(STORE_PASSWORD).keyManagerPassword(STORE_PASSWORD)
                .keystoreType("PKCS12"));
        server.start();
        stubPhraseAndSlack();
        String base = "https://127.0.0.1:" + server.httpsPort();
        Map<String, String> settings = settings(base + "/web", base + HOOK);

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !logs.linesContaining("SSLHandshakeException").isEmpty());
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(slackPosts()).isZero();
            assertThat(logs.linesContaining("TM tm1 skipped this round")).isNotEmpty()
                    .filteredOn(line -> !line.contains("still running"))
                    .allSatisfy(line -> assertThat(line).contains("SSLHandshakeException"));
            assertThat(Management.total(monitor.managementUrl(), "phrase_monitor_poll_errors_total{kind=\"tls\"}"))
                    .isPositive();
        }

        settings.put("tls.trust-store", store.toString());
        settings.put("tls.trust-store-password", STORE_PASSWORD);
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> slackPosts() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(slackPosts()).isEqualTo(1);
        }
    }

    /** Phrase and Slack over plain HTTP from {@link #server}; alerts by email only, to this SMTP port. */
    private Map<String, String> emailSettings(int smtpPort) {
        if (server == null) {
            server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
            server.start();
            stubPhraseAndSlack();
        }
        String base = "http://127.0.0.1:" + server.port();
        Map<String, String> settings = settings(base + "/web", base + HOOK);
        settings.put("alert.channels", "email");
        settings.put("alert.email.smtp-port", Integer.toString(smtpPort));
        return settings;
    }

    /**
     * Must hold: STARTTLS with the trust store delivers (on the monitor's own deadline sockets), and a certificate
     * the trust store holds but that names another host is refused.
     */
    @Test
    void startTlsUsesTheTrustStoreAndChecksTheServersName() throws Exception {
        Path store = TestCertificates.selfSigned(certificates.resolve("smtp.p12"), STORE_PASSWORD);
        try (ScriptedSmtpServer smtpServer = ScriptedSmtpServer.withStartTls(store, STORE_PASSWORD)) {
            Map<String, String> settings = emailSettings(smtpServer.port());
            settings.put("alert.email.starttls", "true");
            settings.put("tls.trust-store", store.toString());
            settings.put("tls.trust-store-password", STORE_PASSWORD);
            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> smtpServer.accepted().size() == 1);
                assertThat(smtpServer.acceptedOverTls()).isEqualTo(1);
                assertThat(monitor.awaitRounds(1, 30)).isTrue();
            }
        }

        Path otherName = TestCertificates.selfSigned(certificates.resolve("other.p12"), STORE_PASSWORD,
                "dns:mail.other.example");
        try (ScriptedSmtpServer smtpServer = ScriptedSmtpServer.withStartTls(otherName, STORE_PASSWORD);
             LogCapture logs = LogCapture.attach()) {
            Map<String, String> settings = emailSettings(smtpServer.port());
            settings.put("alert.email.starttls", "true");
            settings.put("tls.trust-store", otherName.toString());
            settings.put("tls.trust-store-password", STORE_PASSWORD);
            // a state of its own: the first monitor's state says this alert was sent
            settings.put("monitor.state-dir", Files.createDirectory(stateDir.resolve("name-check")).toString());
            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !logs.linesContaining(EMAIL_NOT_DELIVERED).isEmpty());
                assertThat(monitor.awaitRounds(1, 30)).isTrue();
            }
            assertThat(smtpServer.accepted()).isEmpty();
            assertThat(logs.linesContaining(EMAIL_NOT_DELIVERED))
                    .allSatisfy(line -> assertThat(line).contains("SSLHandshakeException", "host name mismatch",
                            "set alert.email.smtp-host"));
        }
    }

    /**
     * Runs the monitor, allowing two retries per delivery, until three deliveries failed, then stops it: the lines
     * of the failed deliveries.
     */
    private static List<String> threeFailedDeliveries(Map<String, String> settings, LogCapture logs, String line)
            throws Exception {
        settings.put("alert.delivery.retries", "2");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.linesContaining(line).size() >= 3);
        }
        return logs.linesContaining(line);
    }

    /** Fails when the deliveries that failed on TLS were retried within their round: one handshake each. */
    private static void assertOneHandshakePerDelivery(int handshakes, List<String> failedDeliveries) {
        assertThat(failedDeliveries).hasSizeGreaterThanOrEqualTo(2);
        // a delivery may have started its handshake as the monitor stopped, before it could log
        assertThat(handshakes).as("no retry within the round: one handshake per failed delivery")
                .isBetween(failedDeliveries.size(), failedDeliveries.size() + 1);
    }

    /**
     * Must hold: an SMTP server whose certificate is not trusted gets one STARTTLS handshake per round, not one per
     * retry, and each failed delivery is one line that names the setting that fixes it.
     */
    @Test
    void anUntrustedSmtpCertificateIsOneHandshakePerRoundAndOneLineNamingTheTrustStore() throws Exception {
        Path store = TestCertificates.selfSigned(certificates.resolve("smtp.p12"), STORE_PASSWORD);
        try (ScriptedSmtpServer smtpServer = ScriptedSmtpServer.withStartTls(store, STORE_PASSWORD);
             LogCapture logs = LogCapture.attach()) {
            Map<String, String> settings = emailSettings(smtpServer.port());
            settings.put("alert.email.starttls", "true");
            List<String> failed = threeFailedDeliveries(settings, logs, EMAIL_NOT_DELIVERED);
            assertOneHandshakePerDelivery(smtpServer.startTlsCommands(), failed);
            assertThat(failed).allSatisfy(line -> assertThat(line).startsWith("WARN").contains(
                    "TLS with the SMTP server failed, untrusted certificate", "PKIX path building failed",
                    "set tls.trust-store", "not retried in this round", "tried again at the next round"));
            assertThat(smtpServer.accepted()).isEmpty();
        }
    }

    /** Must hold: with alert.email.starttls a server that does not offer STARTTLS gets no mail and no retries. */
    @Test
    void aServerWithoutStartTlsWhileItIsRequiredIsNotRetriedWithinTheRound() throws Exception {
        try (ScriptedSmtpServer smtpServer = new ScriptedSmtpServer(0, "unused");
             LogCapture logs = LogCapture.attach()) {
            Map<String, String> settings = emailSettings(smtpServer.port());
            settings.put("alert.email.starttls", "true");
            List<String> failed = threeFailedDeliveries(settings, logs, EMAIL_NOT_DELIVERED);
            assertOneHandshakePerDelivery(smtpServer.connections(), failed);
            assertThat(failed).allSatisfy(line -> assertThat(line)
                    .contains("does not offer STARTTLS", "alert.email.starttls"));
            assertThat(smtpServer.mailFromAttempts()).as("nothing sent in the clear").isZero();
        }
    }

    /** Must hold: the same for a Slack webhook over HTTPS whose certificate is not trusted. */
    @Test
    void anUntrustedSlackCertificateIsOneHandshakePerRoundAndOneLineNamingTheTrustStore() throws Exception {
        Path store = TestCertificates.selfSigned(certificates.resolve("slack.p12"), STORE_PASSWORD);
        String slackNotDelivered = "slack alert for TM tm1 task task-1 not delivered";
        try (TlsListener slackServer = new TlsListener(store, STORE_PASSWORD); LogCapture logs = LogCapture.attach()) {
            Map<String, String> settings = emailSettings(25);
            settings.put("alert.channels", "slack");
            settings.put("alert.slack.webhook-url", "https://127.0.0.1:" + slackServer.port() + HOOK);
            List<String> failed = threeFailedDeliveries(settings, logs, slackNotDelivered);
            assertOneHandshakePerDelivery(slackServer.handshakes(), failed);
            assertThat(failed).allSatisfy(line -> assertThat(line).startsWith("WARN").contains(
                    "untrusted certificate", "set tls.trust-store", "tried again at the next round")
                    .doesNotContain(HOOK));
        }
    }

    /** Must hold: mail to an SMTP host that is not a non-proxy host goes through the proxy's CONNECT tunnel. */
    @Test
    void theProxyCarriesSmtpToo() throws Exception {
        try (ScriptedSmtpServer smtpServer = new ScriptedSmtpServer(0, "unused");
             ConnectProxy proxy = new ConnectProxy()) {
            Map<String, String> settings = proxy.carryingMail(emailSettings(smtpServer.port()));
            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> smtpServer.accepted().size() == 1);
                assertThat(monitor.awaitRounds(1, 30)).isTrue();
            }
            assertThat(proxy.targets()).containsExactly("localhost:" + smtpServer.port());
        }
    }

    /** Must hold: with proxy.host set, the login, the Phrase calls and the Slack post all go through the proxy. */
    @Test
    void theProxyCarriesLoginPhraseCallsAndSlack() throws Exception {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").enableBrowserProxying(true));
        server.start();
        stubPhraseAndSlack();
        // these names do not resolve: only a proxy can reach them
        Map<String, String> settings = settings("http://phrase.example.invalid/web",
                "http://hooks.example.invalid" + HOOK);
        settings.put("proxy.host", "127.0.0.1");
        settings.put("proxy.port", Integer.toString(server.port()));
        settings.put("proxy.non-proxy-hosts", "*.corp.example");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> slackPosts() == 1);
            assertThat(monitor.awaitRounds(1, 30)).isTrue();
        }
        assertThat(server.countRequestsMatching(postRequestedFor(urlEqualTo("/web/api2/v1/auth/login"))
                .withHeader("Host", equalTo("phrase.example.invalid")).build()).getCount()).isEqualTo(1);
        assertThat(server.countRequestsMatching(getRequestedFor(urlEqualTo(
                "/web/api2/v1/transMemories/tm1/lastBackgroundTask"))
                .withHeader("Host", equalTo("phrase.example.invalid")).build()).getCount()).isPositive();
        assertThat(server.countRequestsMatching(postRequestedFor(urlEqualTo(HOOK))
                .withHeader("Host", equalTo("hooks.example.invalid")).build()).getCount()).isEqualTo(1);
    }
}
