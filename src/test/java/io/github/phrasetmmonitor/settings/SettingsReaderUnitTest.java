package io.github.phrasetmmonitor.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20, item 2: one reading of the settings finds every problem, each with its key and where it is set. */
class SettingsReaderUnitTest {

    @TempDir
    Path dir;

    /** The shipped file with five mistakes seeded, each on its own line. */
    static String withFiveMistakes(String shipped) {
        return shipped
                .replace("phrase.max-retries=3", "phrase.max-retries=three")
                .replace("monitor.cron=0 0/5 * * * ?", "monitor.cron=every five minutes")
                .replace("monitor.max-answer-size=2MB", "monitor.max-answer-size=2 parsecs")
                .replace("alert.send-resolved=true", "alert.send-resolved=yes")
                .replace("alert.email.timeout=10s", "alert.email.timeout=soon");
    }

    @Test
    void fiveMistakesInAFileAreFiveProblemsEachWithItsKeyAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("application.properties"),
                withFiveMistakes(Files.readString(Path.of("application.properties"))));
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        Map<String, String> environment = Map.of("PHRASE_API_TOKEN", "t",
                "ALERT_SLACK_WEBHOOK_URL", "https://hooks.example/x");
        SettingsReader reader = new SettingsReader(key -> Optional.ofNullable(environment
                .getOrDefault(SettingsCatalog.environmentName(key), properties.getProperty(key))));
        SettingsOrigins origins = new SettingsOrigins(List.of(new SettingsOrigins.File("application.properties",
                file)), key -> false, environment::get);

        MonitorSettings.read(reader);

        List<String> lines = Files.readAllLines(file);
        assertThat(reader.problems()).extracting(problem -> problem.key().orElseThrow()).containsExactlyInAnyOrder(
                "phrase.max-retries", "monitor.cron", "monitor.max-answer-size", "alert.send-resolved",
                "alert.email.timeout");
        String report = reader.report(origins);
        assertThat(report.lines()).first().isEqualTo("5 problems in the settings:");
        assertThat(report).contains(
                "application.properties:" + lineOf(lines, "phrase.max-retries=") + ": phrase.max-retries 'three' is"
                        + " not a whole number of at least 0",
                "application.properties:" + lineOf(lines, "monitor.cron=") + ": monitor.cron 'every five minutes'",
                "application.properties:" + lineOf(lines, "monitor.max-answer-size=") + ": monitor.max-answer-size",
                "application.properties:" + lineOf(lines, "alert.send-resolved=") + ": alert.send-resolved 'yes'",
                "application.properties:" + lineOf(lines, "alert.email.timeout=") + ": alert.email.timeout 'soon'");
        assertThat(origins.of("phrase.api-token")).isEqualTo("env PHRASE_API_TOKEN");
        assertThat(origins.of("phrase.region")).isEqualTo("application.properties:" + lineOf(lines, "phrase.region="));
        assertThatThrownBy(() -> reader.requireNoProblems(origins)).isInstanceOf(InvalidSettingsException.class)
                .hasMessage(report)
                .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).hasSize(5));
    }

    @Test
    void theOldFormOfADurationIsReadWithAWarningNamingTheNewForm() {
        SettingsReader reader = new SettingsReader(key -> Optional.ofNullable(Map.of(
                "alert.delivery.retry-delay", "2000", "phrase.read-timeout", "90000").get(key)));
        assertThat(reader.duration("alert.delivery.retry-delay")).hasSeconds(2);
        assertThat(reader.duration("phrase.read-timeout")).hasSeconds(90);
        assertThat(reader.problems()).isEmpty();
        assertThat(reader.warnings()).containsExactly(
                "alert.delivery.retry-delay=2000 is read as 2000 milliseconds, the old form; write it as 2s",
                "phrase.read-timeout=90000 is read as 90000 milliseconds, the old form; write it as 90s");
    }

    private static int lineOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i + 1;
            }
        }
        throw new AssertionError(start + " is not in the file");
    }
}
