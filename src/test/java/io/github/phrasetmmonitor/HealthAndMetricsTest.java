package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.phrasetmmonitor.support.PhraseApiStub.status;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The management server on monitor.management-port: readiness follows the credentials and the dead-man switch,
 * liveness stays UP, and /observe/metrics carries the monitor's own meters next to Camel's.
 */
class HealthAndMetricsTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase()
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-1", "TMX broken"))
                .translationMemory("tmOk", "Marketing EN-DE")
                .lastTask("tmOk", ok("task-2"));
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settingsWatching("tmFailed,tmOk");
        settings.put("alert.channels", "slack");
        return settings;
    }

    private void loginAccepts(String password) {
        bed.phrase().server().resetMappings();
        bed.phrase().translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-1", "TMX broken"))
                .translationMemory("tmOk", "Marketing EN-DE").lastTask("tmOk", ok("task-2"));
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN)).willReturn(unauthorized()
                .withBody("{\"errorCode\":\"AuthInvalidCredentials\",\"errorDescription\":\"Wrong password\"}")));
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN))
                .withRequestBody(matchingJsonPath("$.password", equalTo(password)))
                .willReturn(okJson("{\"token\":\"token-1\",\"expires\":\"2099-01-01T00:00:00Z\"}")));
    }

    /** Must hold: readiness DOWN (503) naming the credentials while Phrase refuses them, UP once it accepts them. */
    @Test
    void readinessIsDownWhileThePasswordIsRefusedAndUpWhenItIsAccepted() throws Exception {
        loginAccepts("the-new-password");
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            String ready = monitor.managementUrl() + "/health/ready?exposureLevel=full";
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 503);
            Management.Answer down = Management.get(ready);
            assertThat(down.body()).contains("\"status\":\"DOWN\"", "phrase-credentials",
                    "Phrase refuses the credentials: login as user 'ops-bot'");
            assertThat(Management.get(monitor.managementUrl() + "/health/live").status())
                    .as("refused credentials are not a reason to restart the process").isEqualTo(200);
            assertThat(bed.slack().posts()).as("no task is seen while refused; only the credentials problem is told")
                    .noneMatch(post -> post.contains("Phrase TM task failed"));

            // the account's password is set to the one the monitor has
            loginAccepts("s3cret-Passw0rd");
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 200);
            assertThat(Management.get(ready).body()).contains("\"status\":\"UP\"");
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().stream()
                    .anyMatch(post -> post.contains("Phrase TM task failed")));
        }
    }

    /** Must hold: no successful round for monitor.stale-after turns readiness DOWN; the first success turns it UP. */
    @Test
    void theDeadManSwitchFiresWhenNoRoundSucceedsAndClearsOnTheNextSuccess() throws Exception {
        loginAccepts("s3cret-Passw0rd");
        Map<String, String> settings = settings();
        settings.put("monitor.stale-after", "3s");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            String ready = monitor.managementUrl() + "/health/ready?exposureLevel=full";
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            assertThat(Management.get(ready).status()).isEqualTo(200);

            bed.phrase().lastTask("tmFailed", status(503).withBody("maintenance"));
            bed.phrase().lastTask("tmOk", status(503).withBody("maintenance"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 503);
            assertThat(Management.get(ready).body()).contains("polling", "no successful polling round since",
                    "monitor.stale-after 3s");

            bed.phrase().lastTask("tmOk", ok("task-2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 200);
            assertThat(monitor.awaitRounds(1, 30)).as("the monitor is still polling").isTrue();
        }
    }

    /** Must hold: the monitor's meters are scraped from /observe/metrics with Camel's own. */
    @Test
    void metricsShowTheMonitorsMeters() throws Exception {
        loginAccepts("s3cret-Passw0rd");
        bed.phrase().translationMemory("tmDown", "Docs EN-JA").lastTask("tmDown", status(500).withBody("oops"));
        bed.slack().answerWith(500);
        Map<String, String> settings = settings();
        settings.put("monitor.tm-uids", "tmFailed,tmOk,tmDown");
        // one failed poll per round: with retries, tmDown's check outlasts the 1 s cron and rounds skip it
        settings.put("phrase.max-retries", "0");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            // deliveries run on their own threads: wait until Slack's failed attempts are counted
            await().atMost(Duration.ofSeconds(20)).until(() -> Management.get(monitor.managementUrl() + "/metrics")
                    .body().contains("phrase_monitor_alerts_failed_total{channel=\"slack\",kind=\"alert\"} 2"));
            bed.slack().answerWith(200);
            // the failed task's alert (tmDown's problem may come too: problems are counted as kind "problem")
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().stream()
                    .anyMatch(post -> post.contains("Phrase TM task failed")));
            assertThat(monitor.awaitRounds(1, 30)).isTrue();

            Management.Answer metrics = Management.get(monitor.managementUrl() + "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            String text = metrics.body();
            assertThat(value(text, "phrase_monitor_polls_total{outcome=\"FAILED\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_polls_total{outcome=\"OK\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_polls_total{outcome=\"ERROR\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_poll_errors_total{kind=\"server_error\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_alerts_failed_total{channel=\"slack\",kind=\"alert\"}"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(value(text, "phrase_monitor_alerts_sent_total{channel=\"slack\",kind=\"alert\"}"))
                    .isEqualTo(1);
            assertThat(value(text, "phrase_monitor_round_duration_seconds_count")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "phrase_monitor_tms_watched")).isEqualTo(3);
            assertThat(value(text, "phrase_monitor_open_incidents{kind=\"task-failed\"}")).as("tmFailed's task")
                    .isEqualTo(1);
            assertThat(value(text, "phrase_monitor_phrase_requests_total")).as("a sign-in and three checks a round")
                    .isGreaterThanOrEqualTo(7);
            assertThat(value(text, "phrase_monitor_phrase_request_budget_per_minute")).isEqualTo(3000);
            assertThat(value(text, "phrase_monitor_last_successful_round_timestamp_seconds"))
                    .isGreaterThan(System.currentTimeMillis() / 1000.0 - 600);
            assertThat(text).as("Camel's own meters").contains("camel_exchanges_total");
            assertThat(text).as("Camel's route meters of the routes a message enters")
                    .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"check-translation-memory\"")
                    .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"poll-translation-memories\"");
            assertThat(text).as("none for the inner steps of each Phrase call (their time is their caller's)")
                    .doesNotContainPattern("routeId=\"phrase-(get|request)\"")
                    .doesNotContainPattern("routeId=\"fetch-last-background-task\"");
        }
    }

    /**
     * Must hold: right after start-up, before any round or delivery, every meter of the documented table (docs/health-and-metrics.md) is on
     * /observe/metrics with each label value the table names (and each channel with settings) at 0, so Prometheus'
     * increase() has a series from the first scrape, and each help text is the documented meaning, word for word.
     */
    /** The meters of the configuration in force: not 0 at start-up, and the digest label is the files'. */
    private static final Set<String> WITH_A_VALUE_AT_START = Set.of("phrase_monitor_config_last_reload_successful",
            "phrase_monitor_config_last_reload_success_timestamp_seconds", "phrase_monitor_config_info");

    @Test
    void everyDocumentedMeterIsThereFromStartUpAtZeroWithTheReadmesWords() throws Exception {
        loginAccepts("s3cret-Passw0rd");
        Map<String, String> settings = settings();
        // no round for years: what is scraped is what start-up exported, not what a round counted
        settings.put("monitor.cron", "0 0 0 1 1 ? 2099");
        settings.put("alert.fallback-channel", "email");
        List<DocumentedMeter> documented = DocumentedMeter.fromDocs();
        assertThat(documented).as("the documented table of meters").hasSizeGreaterThanOrEqualTo(8);
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            String text = Management.get(monitor.managementUrl() + "/metrics").body();
            for (DocumentedMeter meter : documented) {
                if (meter.clusterOnly()) {
                    assertThat(text).as(meter.name() + " outside cluster mode").doesNotContain(meter.name());
                    continue;
                }
                assertThat(text).as("the help text of " + meter.name() + " is the documented meaning")
                        .contains("# HELP " + meter.name() + " " + meter.meaning() + "\n");
                if (WITH_A_VALUE_AT_START.contains(meter.name())) {
                    // the configuration in force has a digest, a time and a verdict from the start
                    assertThat(text).containsPattern("(?m)^" + meter.name() + "(\\{[^}]*})? [1-9]");
                    continue;
                }
                Set<String> expected = new TreeSet<>();
                for (Map<String, String> labels : meter.labelSets(Set.of("email", "slack"))) {
                    expected.add(series(meter.name(), labels));
                }
                String sample = meter.name().endsWith("_seconds") && !meter.name().contains("timestamp")
                        ? meter.name() + "_count" : meter.name();
                Set<String> scraped = new TreeSet<>();
                Matcher line = Pattern.compile("^(" + Pattern.quote(sample) + "(\\{[^}]*})?) (\\S+)$",
                        Pattern.MULTILINE).matcher(text);
                while (line.find()) {
                    scraped.add(line.group(1).replace(sample, meter.name()));
                    if (meter.isLimit()) {
                        assertThat(Double.parseDouble(line.group(3))).as(line.group(1) + ": the setting's value")
                                .isPositive();
                    } else {
                        assertThat(Double.parseDouble(line.group(3))).as(line.group(1) + " before any event")
                                .isZero();
                    }
                }
                assertThat(scraped).as(meter.name() + ": each documented label value, and only those").isEqualTo(expected);
            }
            promtoolAccepts(text);
        }
    }

    /**
     * Prometheus' own checker, when installed (Debian package prometheus; CI=true requires it): the scrape parses
     * (exit 1 would say not), and it finds nothing to lint in the monitor's meters. Camel's own meters have camelCase
     * labels and gauges without help (exit 3); those are not ours to rename.
     */
    private static void promtoolAccepts(String scrape) throws Exception {
        Optional<Path> promtool = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
        if (promtool.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("promtool is not installed; CI needs it (apt-get install prometheus)");
            }
            System.err.println("Skipping promtool check metrics: promtool is not installed (apt-get install prometheus)");
            return;
        }
        Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true)
                .start();
        try (var in = check.getOutputStream()) {
            in.write(scrape.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String said = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("promtool ended").isTrue();
        assertThat(check.exitValue()).as("promtool parses the scrape: %s", said).isIn(0, 3);
        assertThat(said.lines().filter(line -> line.contains("phrase_monitor_")).toList())
                .as("promtool's findings about the monitor's meters").isEmpty();
    }

    private static String series(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        List<String> pairs = new ArrayList<>();
        new TreeSet<>(labels.keySet()).forEach(label -> pairs.add(label + "=\"" + labels.get(label) + "\""));
        return name + "{" + String.join(",", pairs) + "}";
    }

    /**
     * A row of the documented table of meters (docs/health-and-metrics.md): its name, labels and meaning as plain text (no backticks, links as
     * their text). The values of a label are the words in backticks its meaning names (or, when it names none, the
     * row above's); {@code channel} takes the channels with settings.
     */
    record DocumentedMeter(String name, List<String> labels, String meaning, List<String> values) {

        static List<DocumentedMeter> fromDocs() throws Exception {
            String readme = Files.readString(Path.of("docs/health-and-metrics.md"));
            String section = readme.substring(readme.indexOf("## Health and metrics"));
            section = section.substring(0, section.indexOf("\n## ", 3));
            Pattern row = Pattern.compile("^\\| `(phrase_monitor_\\w+)` \\|([^|]*)\\| (.+) \\|$", Pattern.MULTILINE);
            Matcher rows = row.matcher(section);
            List<DocumentedMeter> meters = new ArrayList<>();
            List<String> above = List.of();
            while (rows.find()) {
                List<String> labels = backticked(rows.group(2));
                String cell = rows.group(3);
                List<String> values = new ArrayList<>(backticked(cell));
                values.removeAll(labels);
                values.removeIf(value -> value.contains("."));
                if (values.isEmpty()) {
                    values = above;
                }
                above = values;
                meters.add(new DocumentedMeter(rows.group(1), labels, plain(cell), List.copyOf(values)));
            }
            return meters;
        }

        /** A limit the settings set, not a count: its value is there from start-up, not 0. */
        boolean isLimit() {
            return meaning.contains("the monitor allows itself");
        }

        boolean clusterOnly() {
            return meaning.startsWith("only in cluster mode");
        }

        List<Map<String, String>> labelSets(Set<String> channels) {
            List<Map<String, String>> sets = new ArrayList<>();
            sets.add(Map.of());
            for (String label : labels) {
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> set : sets) {
                    for (String value : label.equals("channel") ? channels : new LinkedHashSet<>(values)) {
                        Map<String, String> more = new java.util.HashMap<>(set);
                        more.put(label, value);
                        next.add(more);
                    }
                }
                sets = next;
            }
            return sets;
        }

        private static List<String> backticked(String markdown) {
            List<String> words = new ArrayList<>();
            Matcher word = Pattern.compile("`([^`]+)`").matcher(markdown);
            while (word.find()) {
                words.add(word.group(1));
            }
            return words;
        }

        static String plain(String markdown) {
            return markdown.replaceAll("\\[([^]]+)]\\([^)]*\\)", "$1").replace("`", "").trim();
        }
    }

    private static double value(String prometheusText, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(prometheusText);
        assertThat(line.find()).as(series + " in\n" + prometheusText).isTrue();
        return Double.parseDouble(line.group(1));
    }
}
