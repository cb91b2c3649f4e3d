package io.github.phrasetmmonitor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The PromQL of the shipped alert rules and Grafana dashboard, each named by where it is. */
final class ShippedQueries {

    static final Path RULES = Path.of("deploy/prometheus/phrase-tm-monitor-rules.yml");
    static final Path RULES_TEST = Path.of("deploy/prometheus/rules-test.yml");
    static final Path DASHBOARD = Path.of("deploy/grafana/phrase-tm-monitor-dashboard.json");

    private ShippedQueries() {
    }

    /** Each alert's expression, by "rule NAME". */
    @SuppressWarnings("unchecked")
    static Map<String, String> rules() throws IOException {
        Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(RULES));
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                expressions.put("rule " + rule.get("alert"), (String) rule.get("expr"));
            }
        }
        return expressions;
    }

    static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    /** Each panel target's expression, by "panel ID (TITLE) target REF". */
    static Map<String, String> dashboardTargets() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.put("panel " + panel.path("id").asInt() + " (" + panel.path("title").asText()
                        + ") target " + target.path("refId").asText(), target.path("expr").asText());
            }
        }
        return expressions;
    }

    /** Grafana's interval variables replaced by a duration Prometheus takes, as Grafana does before it queries. */
    static String asPrometheusSees(String dashboardExpression) {
        return dashboardExpression.replace("$__rate_interval", "5m").replace("$__interval", "1m");
    }

    static Map<String, String> all() throws IOException {
        Map<String, String> all = new LinkedHashMap<>(rules());
        dashboardTargets().forEach((where, expr) -> all.put(where, asPrometheusSees(expr)));
        return all;
    }
}
