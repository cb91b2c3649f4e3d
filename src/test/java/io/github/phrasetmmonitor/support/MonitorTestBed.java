package io.github.phrasetmmonitor.support;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Everything an in-process monitor test talks to, fresh for each test: a {@link PhraseApiStub} (no stubs yet), a
 * {@link SlackRecorder}, a GreenMail SMTP server on a dynamic port and an empty state dir. Register it as an instance
 * field; the test class's own {@code @BeforeEach} then adds its stubs through {@link #phrase()}.
 *
 * <pre>{@code
 * @RegisterExtension
 * final MonitorTestBed bed = new MonitorTestBed();
 *
 * @BeforeEach
 * void stubs() {
 *     bed.phrase().loginIssues("token-1").translationMemory("tm1", "Glossary EN-DE");
 * }
 * }</pre>
 */
public final class MonitorTestBed implements BeforeEachCallback, AfterEachCallback {

    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private String slackPath;
    private GreenMailConfiguration smtpConfiguration = GreenMailConfiguration.aConfig();

    private PhraseApiStub phrase;
    private SlackRecorder slack;
    private GreenMail smtp;
    private Path stateDir;

    /** The Slack webhook listens on this path instead of the default one. */
    public MonitorTestBed withSlackPath(String path) {
        this.slackPath = path;
        return this;
    }

    /** The SMTP server knows this user (the monitor may then log in). */
    public MonitorTestBed withSmtpUser(String user, String password) {
        this.smtpConfiguration = GreenMailConfiguration.aConfig().withUser(user, password);
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        stateDir = Files.createTempDirectory("monitor-state-");
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort()).withConfiguration(smtpConfiguration);
        smtp.start();
        phrase = new PhraseApiStub();
        slack = slackPath == null ? new SlackRecorder() : new SlackRecorder(slackPath);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            // the thread dump, should this hang, shows which of the three it is
            Deadline.within(STOP_LIMIT, "stopping the test bed", () -> {
                try (PhraseApiStub stub = phrase; SlackRecorder recorder = slack) {
                    smtp.stop();
                }
            });
        } finally {
            deleteRecursively(stateDir);
        }
    }

    public PhraseApiStub phrase() {
        return phrase;
    }

    public SlackRecorder slack() {
        return slack;
    }

    public GreenMail smtp() {
        return smtp;
    }

    /** The subjects of the mails GreenMail received, in order. */
    public java.util.List<String> mailSubjects() {
        return java.util.Arrays.stream(smtp.getReceivedMessages()).map(MonitorTestBed::subject).toList();
    }

    public static String subject(jakarta.mail.internet.MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path stateDir() {
        return stateDir;
    }

    /** {@link RunningMonitor#settings} for this test bed's stubs, SMTP server and state dir; a mutable map. */
    public Map<String, String> settings() {
        return settings(smtp.getSmtp().getPort());
    }

    /** As {@link #settings()}, but mail goes to another SMTP server (a scripted, broken or absent one). */
    public Map<String, String> settings(int smtpPort) {
        return RunningMonitor.settings(phrase.baseUrl(), slack, smtpPort, stateDir);
    }

    /** As {@link #settings()}, polling just these TMs ({@code monitor.tm-uids}, comma-separated). */
    public Map<String, String> settingsWatching(String tmUids) {
        return settingsWatching(tmUids, smtp.getSmtp().getPort());
    }

    /** As {@link #settings(int)}, polling just these TMs ({@code monitor.tm-uids}, comma-separated). */
    public Map<String, String> settingsWatching(String tmUids, int smtpPort) {
        Map<String, String> settings = settings(smtpPort);
        settings.put("monitor.tm-uids", tmUids);
        return settings;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
