package io.github.phrasetmmonitor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus' own promtool on the shipped files: the rules parse and pass its checks, their unit tests
 * (deploy/prometheus/rules-test.yml) pass, and every dashboard query parses as PromQL. Without promtool
 * ({@code apt-get install prometheus}) the tests are skipped with one line; with {@code CI=true} they fail instead.
 */
class PromtoolTest {

    private static Path promtool;

    @BeforeAll
    static void findPromtool() {
        Optional<Path> found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            String why = "promtool is not installed (apt-get install prometheus)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + ": CI needs it (.ci/run installs it)");
            }
            System.err.println("Skipping the promtool checks: " + why);
            Assumptions.abort(why);
        }
        promtool = found.get();
    }

    @Test
    void theRulesPassPromtoolsChecks() throws Exception {
        assertThat(promtool("check", "rules", ShippedQueries.RULES.toString()))
                .contains("SUCCESS: " + ShippedQueries.rules().size() + " rules found");
    }

    /** Must hold: each alert fires on the series that should fire it, and not on the others. */
    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        assertThat(promtool("test", "rules", ShippedQueries.RULES_TEST.toString())).contains("SUCCESS");
    }

    /** Must hold: every panel's query parses as PromQL, written as recording rules for promtool to check. */
    @Test
    void theDashboardsQueriesAreValidPromQl(@TempDir Path dir) throws Exception {
        Path rules = dashboardAsRecordingRules(dir);
        assertThat(promtool("check", "rules", rules.toString()))
                .contains("SUCCESS: " + ShippedQueries.dashboardTargets().size() + " rules found");
    }

    /** Must fail: a query that is not PromQL is refused by the same check. */
    @Test
    void aQueryThatIsNotPromQlIsRefused(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("broken.yml");
        Files.writeString(rules, recordingRules(Map.of("broken", "sum by (channel (rate(x[5m]))")));
        Process check = new ProcessBuilder(promtool.toString(), "check", "rules", rules.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isNotZero();
    }

    private static Path dashboardAsRecordingRules(Path dir) throws IOException {
        Path rules = dir.resolve("dashboard-queries.yml");
        Map<String, String> targets = ShippedQueries.dashboardTargets();
        Map<String, String> expressions = new java.util.LinkedHashMap<>();
        targets.forEach((where, expr) -> expressions.put(where, ShippedQueries.asPrometheusSees(expr)));
        Files.writeString(rules, recordingRules(expressions));
        return rules;
    }

    /** One recording rule per expression, named dashboard:query_N; a YAML comment says where each comes from. */
    private static String recordingRules(Map<String, String> expressions) {
        StringBuilder yaml = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (Map.Entry<String, String> entry : expressions.entrySet()) {
            yaml.append("      # ").append(entry.getKey().replace('\n', ' ')).append('\n')
                    .append("      - record: dashboard:query_").append(++n).append('\n')
                    .append("        expr: '").append(entry.getValue().replace("'", "''")).append("'\n");
        }
        return yaml.toString();
    }

    private static String promtool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ended").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
