package io.github.phrasetmmonitor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped Grafana dashboard has the shape Grafana imports: valid JSON, a schemaVersion of current Grafana, a
 * Prometheus datasource variable that every panel and target uses, unique panel ids, a query in every panel. There
 * is no Grafana server here: this and the PromQL checks (PromtoolTest, ShippedRulesAndDashboardTest) are what is
 * tried.
 */
class DashboardShapeUnitTest {

    private static final String DATASOURCE = "${datasource}";

    @Test
    void theDashboardHasTheShapeGrafanaImports() throws Exception {
        JsonNode dashboard = ShippedQueries.dashboard();
        assertThat(dashboard.path("schemaVersion").asInt()).as("Grafana 10.4 / 11").isGreaterThanOrEqualTo(39);
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();

        List<JsonNode> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(variables::add);
        assertThat(variables).anySatisfy(variable -> {
            assertThat(variable.path("name").asText()).isEqualTo("datasource");
            assertThat(variable.path("type").asText()).isEqualTo("datasource");
            assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        });

        Set<Integer> ids = new HashSet<>();
        assertThat(dashboard.path("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.path("panels")) {
            String name = "panel " + panel.path("id") + " (" + panel.path("title").asText() + ")";
            assertThat(panel.path("id").isInt()).as(name + " has a numeric id").isTrue();
            assertThat(ids.add(panel.path("id").asInt())).as(name + ": its id is unique").isTrue();
            assertThat(panel.path("type").asText()).as(name).isNotBlank();
            assertThat(panel.path("gridPos").path("w").asInt()).as(name + " has a place").isPositive();
            assertThat(panel.path("datasource").path("type").asText()).as(name).isEqualTo("prometheus");
            assertThat(panel.path("datasource").path("uid").asText()).as(name).isEqualTo(DATASOURCE);
            assertThat(panel.path("targets")).as(name + " has a query").isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as(name).isNotBlank();
                assertThat(refIds.add(target.path("refId").asText())).as(name + ": unique refIds").isTrue();
                assertThat(target.path("datasource").path("uid").asText()).as(name).isEqualTo(DATASOURCE);
            }
        }
    }

    /** The panels the issue asks for are there, each over the meter that carries it. */
    @Test
    void thePanelsCoverRoundsPollsDeliveriesOpenIncidentsTheRequestBudgetAndTheClusterNode() throws Exception {
        String queries = String.join("\n", ShippedQueries.dashboardTargets().values());
        assertThat(queries).contains("phrase_monitor_round_duration_seconds_count",
                "sum by (outcome) (increase(phrase_monitor_polls_total",
                "sum by (channel, kind) (increase(phrase_monitor_alerts_sent_total",
                "sum by (channel, kind) (increase(phrase_monitor_alerts_failed_total",
                "phrase_monitor_cluster_last_round", "phrase_monitor_last_successful_round_timestamp_seconds",
                "max by (kind) (phrase_monitor_open_incidents)", "phrase_monitor_phrase_requests_total",
                "phrase_monitor_phrase_request_budget_per_minute");
    }
}
