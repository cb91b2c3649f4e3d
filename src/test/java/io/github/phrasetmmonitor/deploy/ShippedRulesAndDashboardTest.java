package io.github.phrasetmmonitor.deploy;

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
import io.github.phrasetmmonitor.support.PostgresSchema;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped alert rules and dashboard read only what a running monitor exports: every metric name they select,
 * every label they match, group or join on, and every label value they match exactly, is in a scrape of
 * /observe/metrics. The monitor runs in cluster mode (for phrase_monitor_cluster_last_round) with a failed task, a
 * TM that answers 500, a login refused before it is accepted, a Slack that fails and an email server that takes the alert, so
 * that each series a rule or panel watches is there whether or not the monitor exports it before its first event.
 */
class ShippedRulesAndDashboardTest {

    /** Prometheus adds these to every scraped series (the target's); the monitor does not export them. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();
    @RegisterExtension
    final PostgresSchema database = new PostgresSchema();

    @Test
    void everyMetricAndLabelTheRulesAndPanelsUseIsExported() throws Exception {
        Map<String, PromQl> queries = new HashMap<>();
        ShippedQueries.all().forEach((where, expr) -> queries.put(where, PromQl.parse(expr)));
        assertThat(queries).as("the rules file and the dashboard have queries").hasSizeGreaterThan(8);
        queries.forEach((where, query) -> assertThat(query.selectors()).as(where + " reads a metric").isNotEmpty());

        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE").lastTask("tmFailed", failed("task-1", "TMX broken"))
                .translationMemory("tmOk", "Marketing EN-DE").lastTask("tmOk", ok("task-2"))
                .translationMemory("tmDown", "Docs EN-JA").lastTask("tmDown", status(500).withBody("oops"));
        // first Phrase refuses the login (WireMock answers with the latest stub), then accepts it
        bed.phrase().server().stubFor(post(urlEqualTo(PhraseApiStub.LOGIN)).willReturn(unauthorized()
                .withBody("{\"errorCode\":\"AuthInvalidCredentials\",\"errorDescription\":\"Wrong password\"}")));
        bed.slack().answerWith(500);
        Map<String, String> settings = bed.settingsWatching("tmFailed,tmOk,tmDown");
        settings.put("alert.channels", "slack,email");
        settings.put("phrase.max-retries", "0");
        settings.putAll(database.clusterSettings("node-a"));
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            String metrics = monitor.managementUrl() + "/metrics";
            // at least one refusal: on a loaded machine the next rounds' refusals may come before the first scrape
            await().atMost(Duration.ofSeconds(60)).until(() -> Management.total(monitor.managementUrl(),
                    "phrase_monitor_poll_errors_total{kind=\"credentials_refused\"") >= 1);
            bed.phrase().loginIssues("token-2");
            await().atMost(Duration.ofSeconds(60)).until(() -> Management.get(metrics).body()
                    .contains("phrase_monitor_alerts_failed_total{channel=\"slack\""));
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.smtp().getReceivedMessages().length > 0);
            // the cluster's last-round gauge is learnt at a check-in after a round (cluster.checkin-interval 1 s)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String scrape = Management.get(metrics).body();
                assertThat(problems(queries, scrape)).as("the monitor's series:%n%s", String.join("\n",
                        scrape.lines().filter(line -> line.startsWith("phrase_monitor_")).toList())).isEmpty();
            });
        }
    }

    /** Must fail: a rule on a metric the monitor does not export, or on a label it does not have. */
    @Test
    void aMetricOrLabelThatIsNotExportedIsFound() {
        String scrape = """
                # HELP phrase_monitor_polls_total TM checks
                phrase_monitor_polls_total{outcome="OK"} 3.0
                phrase_monitor_polls_total{outcome="ERROR"} 1.0
                """;
        Map<String, PromQl> queries = Map.of(
                "good", PromQl.parse("sum by (job, outcome) (rate(phrase_monitor_polls_total{outcome=\"OK\"}[5m]))"),
                "name", PromQl.parse("rate(phrase_monitor_poll_total[5m])"),
                "label", PromQl.parse("phrase_monitor_polls_total{result=\"OK\"}"),
                "value", PromQl.parse("phrase_monitor_polls_total{outcome=\"FAIL\"}"),
                "grouping", PromQl.parse("sum by (kind) (phrase_monitor_polls_total)"));
        assertThat(problems(queries, scrape)).containsExactlyInAnyOrder(
                "name: phrase_monitor_poll_total is not exported",
                "label: phrase_monitor_polls_total has no label result",
                "value: phrase_monitor_polls_total has no series with outcome=\"FAIL\"",
                "grouping: phrase_monitor_polls_total has no label kind (by/on/without)");
    }

    /** What the queries use that the scrape does not have, one line each; empty when all is there. */
    private static List<String> problems(Map<String, PromQl> queries, String scrape) {
        Map<String, List<Map<String, String>>> exported = series(scrape);
        List<String> problems = new ArrayList<>();
        queries.forEach((where, query) -> {
            for (PromQl.Selector selector : query.selectors()) {
                List<Map<String, String>> series = exported.get(selector.metric());
                if (series == null) {
                    problems.add(where + ": " + selector.metric() + " is not exported");
                    continue;
                }
                Set<String> labels = new HashSet<>(TARGET_LABELS);
                series.forEach(one -> labels.addAll(one.keySet()));
                for (PromQl.LabelMatcher matcher : selector.matchers()) {
                    if (!labels.contains(matcher.label())) {
                        problems.add(where + ": " + selector.metric() + " has no label " + matcher.label());
                    } else if (matcher.operator().equals("=") && !TARGET_LABELS.contains(matcher.label())
                            && series.stream().noneMatch(one -> matcher.value().equals(one.get(matcher.label())))) {
                        problems.add(where + ": " + selector.metric() + " has no series with " + matcher.label()
                                + "=\"" + matcher.value() + "\"");
                    }
                }
                for (String label : query.groupingLabels()) {
                    if (!labels.contains(label)) {
                        problems.add(where + ": " + selector.metric() + " has no label " + label
                                + " (by/on/without)");
                    }
                }
            }
        });
        return problems;
    }

    private static Map<String, List<Map<String, String>>> series(String scrape) {
        Map<String, List<Map<String, String>>> series = new HashMap<>();
        scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).forEach(line -> {
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a sample line: " + line).isTrue();
            Map<String, String> labels = new HashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            series.computeIfAbsent(sample.group(1), name -> new ArrayList<>()).add(labels);
        });
        return series;
    }
}
