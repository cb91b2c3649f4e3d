package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.ShippedRoutes;
import io.github.phrasetmmonitor.support.SlackRecorder;
import io.github.phrasetmmonitor.support.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets stay secret. A full scenario runs with distinctive secret values, through the paths most likely to leak
 * one: a login, a refused session token and a new login, a refused Slack post, an SMTP login, a connection reset,
 * credentials refused outright (health DOWN), a proxy and a trust store with passwords, named Slack webhooks. Then
 * every captured log line (Camel's start-up summaries included), Camel's endpoint registry, /observe/health (at full exposure, with data and
 * stack traces), /observe/metrics (both formats) and every file in the state dir are searched for each secret. The
 * same secrets given as environment variables to the monitor in its own JVM are searched for in its whole output.
 * What must hold: none appears anywhere.
 */
class SecretsTest {

    private static final String PASSWORD = "Pw-9f3a1c-SECRET";
    private static final String SESSION_TOKEN_1 = "sess-1-7e21b4-SECRET";
    private static final String SESSION_TOKEN_2 = "sess-2-c93f0a-SECRET";
    private static final String API_TOKEN = "Tok-6d2f-SECRET";
    private static final String WEBHOOK_PATH = "/services/T0SECRET/B0SECRET/hook-5c1d9e-SECRET";
    private static final String SMTP_PASSWORD = "Smtp-2b7d-SECRET";
    private static final String PROXY_PASSWORD = "Proxy-81d4-SECRET";
    private static final String TRUST_STORE_PASSWORD = "Trust-4a8e-SECRET";
    /** Named webhooks (alert.slack.webhook-url.<name>): Camel masks by a key's last segment, which here is the name. */
    private static final String LEGAL_WEBHOOK = "http://127.0.0.1:9/services/T0LEGAL/B0LEGAL/legal-3e7b-SECRET";
    private static final String TEAM_WEBHOOK = "http://127.0.0.1:9/services/T0TEAM/B0TEAM/team-94c2-SECRET";
    private static final String LEGAL_PATH = "/services/T0LEGAL/B0LEGAL/legal-env-d51a-SECRET";
    private static final String PLATFORM_TOKEN = "Platform-0b6e-SECRET";
    private static final String BEARER_TOKEN = "Bearer-e8a3-SECRET";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed().withSlackPath(WEBHOOK_PATH)
            .withSmtpUser("monitor", SMTP_PASSWORD);

    @TempDir
    Path certificates;

    final List<String> observed = new ArrayList<>();

    private Map<String, String> settings() throws Exception {
        Map<String, String> settings = bed.settings();
        settings.put("phrase.password", PASSWORD);
        settings.put("alert.email.username", "monitor");
        settings.put("alert.email.password", SMTP_PASSWORD);
        settings.put("proxy.host", "proxy.example.invalid");
        settings.put("proxy.port", "3128");
        settings.put("proxy.username", "svc-proxy");
        settings.put("proxy.password", PROXY_PASSWORD);
        settings.put("proxy.non-proxy-hosts", "127.0.0.1,localhost");
        Path trustStore = certificates.resolve("trust.p12");
        if (!Files.exists(trustStore)) {
            TestCertificates.selfSigned(trustStore, TRUST_STORE_PASSWORD);
        }
        settings.put("tls.trust-store", trustStore.toString());
        settings.put("tls.trust-store-password", TRUST_STORE_PASSWORD);
        settings.put("alert.slack.webhook-url.legal", LEGAL_WEBHOOK);
        settings.put("alert.slack.webhook-url.platform-team", TEAM_WEBHOOK);
        return settings;
    }

    private void observeManagement(RunningMonitor monitor) {
        String observe = monitor.managementUrl();
        for (String path : List.of("/health", "/health?exposureLevel=full&data=true&stackTrace=true",
                "/health/ready?exposureLevel=full&data=true&stackTrace=true",
                "/health/live?exposureLevel=full&data=true", "/metrics")) {
            observed.add(Management.get(observe + path).body());
        }
        // Camel's endpoint registry: every camel-http endpoint the routes and senders used, by its URI
        observed.add(monitor.context().getEndpoints().stream().map(Endpoint::getEndpointUri)
                .collect(Collectors.joining("\n", "endpoints:\n", "")));
    }

    @Test
    void noSecretAppearsInLogsHealthMetricsOrStateFiles() throws Exception {
        // a login, the session token refused once, a new login, then a failed task; one TM whose connection resets
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN)).inScenario("login")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("renewed")
                .willReturn(okJson("{\"token\":\"" + SESSION_TOKEN_1 + "\",\"expires\":\"2099-01-01T00:00:00Z\"}")));
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN)).inScenario("login")
                .whenScenarioStateIs("renewed")
                .willReturn(okJson("{\"token\":\"" + SESSION_TOKEN_2 + "\",\"expires\":\"2099-01-01T00:00:00Z\"}")));
        bed.phrase().translationMemory("tm1", "Glossary EN-DE").translationMemory("tmReset", "Reset EN-DE");
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskWithToken("tm1", SESSION_TOKEN_1).willReturn(unauthorized()
                .withBody("{\"errorCode\":\"AuthUnauthorized\",\"errorDescription\":\"Token expired\"}")));
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskWithToken("tm1", SESSION_TOKEN_2)
                .willReturn(okJson(failed("task-1", "TMX broken"))));
        bed.phrase().lastTask("tmReset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        bed.slack().answerWith(500);
        Map<String, String> settings = settings();
        settings.put("monitor.tm-uids", "tm1,tmReset");

        try (LogCapture logs = LogCapture.attach()) {
            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                // the task's alert by email (problems may come too: tmReset keeps failing)
                await().atMost(Duration.ofSeconds(30)).until(() -> bed.mailSubjects().stream()
                        .anyMatch(subject -> subject.contains("failed: Glossary EN-DE")));
                assertThat(monitor.awaitRounds(1, 30)).isTrue();
                observeManagement(monitor);
                bed.slack().answerWith(200);
                await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().stream()
                        .anyMatch(post -> post.contains("task-1")));
                assertThat(monitor.awaitRounds(1, 30)).isTrue();
                observeManagement(monitor);
            }
            assertThat(bed.phrase().logins()).as("the token was renewed").isEqualTo(2);
            assertThat(logs.all()).as("the failure paths ran")
                    .contains("slack alert for TM tm1 task task-1 not delivered", "TM tmReset skipped this round",
                            "phrase.password = ****** (set)", "proxy.password = ****** (set)",
                            "alert.slack.webhook-url.legal = ****** (set)",
                            "alert.slack.webhook-url.platform-team = ****** (set)");

            // the API token, refused outright: readiness DOWN, and its message must not carry the token
            bed.phrase().server().resetAll();
            bed.phrase().translationMemory("tm1", "Glossary EN-DE");
            bed.phrase().lastTask("tm1", unauthorized().withBody("{\"errorCode\":\"AuthUnauthorized\"}"));
            settings.remove("phrase.username");
            settings.remove("phrase.password");
            settings.put("phrase.api-token", API_TOKEN);
            settings.put("monitor.tm-uids", "tm1");
            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                String ready = monitor.managementUrl() + "/health/ready";
                await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 503);
                observeManagement(monitor);
            }
            assertThat(String.join("\n", observed)).as("the endpoint registry was searched, camel-http's included")
                    .contains("endpoints:", "/web?httpMethod=GET", "/auth/login?httpMethod=POST");
            assertThat(String.join("\n", observed)).as("health DOWN was observed")
                    .contains("Phrase refuses the credentials: API token (phrase.api-token)");

            List<String> logLines = logs.lines();
            List<String> stateFiles = stateFiles();
            assertThat(logLines).hasSizeGreaterThan(100);
            for (String secret : List.of(PASSWORD, SESSION_TOKEN_1, SESSION_TOKEN_2, API_TOKEN, WEBHOOK_PATH,
                    bed.slack().webhookUrl(), "hook-5c1d9e", SMTP_PASSWORD, PROXY_PASSWORD, TRUST_STORE_PASSWORD,
                    LEGAL_WEBHOOK, "legal-3e7b", TEAM_WEBHOOK, "team-94c2")) {
                assertThat(logLines).as("log lines").noneSatisfy(line -> assertThat(line).contains(secret));
                assertThat(observed).as("health and metrics").noneSatisfy(body -> assertThat(body).contains(secret));
                assertThat(stateFiles).as("state files").noneSatisfy(file -> assertThat(file).contains(secret));
            }
            assertThat(logs.all()).as("the settings are printed once, by the monitor: Camel's summary is off")
                    .doesNotContain("Property-placeholders summary");
        }
    }

    /**
     * The way ops configure it: every secret in an environment variable, named webhooks as
     * ALERT_SLACK_WEBHOOK_URL_&lt;NAME&gt;, and the monitor in its own JVM, where Camel notes such a setting as coming
     * from the [OS Environment Variable] and prints its start-up summary. A Legal TM's failure goes to the named
     * webhook legal (the shipped routing rule), so that URL is also read and used while running. The process's whole
     * output, from start-up to exit, is searched for every secret.
     */
    @Test
    void noSecretGivenInTheEnvironmentAppearsInTheProcessOutput(@TempDir Path workDir) throws Exception {
        bed.phrase().server().stubFor(post(urlEqualTo("/idm/oauth/token")).willReturn(okJson("{\"access_token\":\""
                + BEARER_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":14400}")));
        bed.phrase().translationMemory("tmLegal", "Legal EN-DE")
                .lastTask("tmLegal", failed("task-legal", "Contract TMX broken"));
        MonitorProcess.prepareWorkDir(workDir);
        // ops turn the example rule on: Legal TMs to the webhook named legal, whose URL is in the environment
        ShippedRoutes.turnOnTheExample(workDir.resolve("routes"));
        Path trustStore = TestCertificates.selfSigned(certificates.resolve("env-trust.p12"), TRUST_STORE_PASSWORD);

        try (SlackRecorder legalSlack = new SlackRecorder(LEGAL_PATH)) {
            Map<String, String> env = MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(),
                    workDir.resolve("data"), "tmLegal");
            env.remove("PHRASE_API_TOKEN");
            env.put("PHRASE_PLATFORM_TOKEN", PLATFORM_TOKEN);
            env.put("PHRASE_IDM_URL", bed.phrase().baseUrl().replace("/web", "") + "/idm/oauth/token");
            env.put("ALERT_SLACK_WEBHOOK_URL_LEGAL", legalSlack.webhookUrl());
            env.put("ALERT_SLACK_WEBHOOK_URL_PLATFORM_TEAM", TEAM_WEBHOOK);
            env.put("ALERT_EMAIL_USERNAME", "monitor");
            env.put("ALERT_EMAIL_PASSWORD", SMTP_PASSWORD);
            env.put("TLS_TRUST_STORE", trustStore.toString());
            env.put("TLS_TRUST_STORE_PASSWORD", TRUST_STORE_PASSWORD);
            env.put("PROXY_HOST", "proxy.example.invalid");
            env.put("PROXY_PORT", "3128");
            env.put("PROXY_USERNAME", "svc-proxy");
            env.put("PROXY_PASSWORD", PROXY_PASSWORD);
            env.put("PROXY_NON_PROXY_HOSTS", "127.0.0.1,localhost");

            String output;
            try (MonitorProcess monitor = MonitorProcess.start(workDir, env)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !legalSlack.posts().isEmpty() || !monitor.isAlive());
                assertThat(legalSlack.posts()).as("the legal webhook got the alert; the monitor wrote:%n%s",
                        monitor.output()).hasSize(1);
                monitor.terminate();
                assertThat(monitor.awaitExit(60)).as("exited after SIGTERM").isTrue();
                output = monitor.output();
            }
            for (String secret : List.of(PLATFORM_TOKEN, BEARER_TOKEN, bed.slack().webhookUrl(), WEBHOOK_PATH,
                    "hook-5c1d9e", legalSlack.webhookUrl(), LEGAL_PATH, "legal-env-d51a", TEAM_WEBHOOK, "team-94c2",
                    SMTP_PASSWORD, TRUST_STORE_PASSWORD, PROXY_PASSWORD)) {
                assertThat(output).as("the process output").doesNotContain(secret);
            }
            assertThat(output).as("our summary lists the named webhooks, masked")
                    .contains("phrase.platform-token = ****** (set)", "alert.slack.webhook-url = ****** (set)",
                            "alert.slack.webhook-url.legal = ****** (set)",
                            "alert.slack.webhook-url.platform-team = ****** (set)",
                            "alert.email.password = ****** (set)", "tls.trust-store-password = ****** (set)",
                            "proxy.password = ****** (set)");
            assertThat(output).as("each says where it is set")
                    .contains("alert.slack.webhook-url.legal = ****** (set)  (env ALERT_SLACK_WEBHOOK_URL_LEGAL)",
                            "proxy.password = ****** (set)  (env PROXY_PASSWORD)");
            assertThat(output).as("the settings are printed once, by the monitor: Camel's summary is off")
                    .doesNotContain("Property-placeholders summary");
        }
    }

    private List<String> stateFiles() throws IOException {
        try (Stream<Path> files = Files.walk(bed.stateDir())) {
            List<String> contents = files.filter(Files::isRegularFile).map(file -> {
                try {
                    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
            assertThat(contents).as("the journal is there").isNotEmpty();
            return contents;
        }
    }
}
