package io.github.phrasetmmonitor.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads the alert state journal as a test sees it: which channel took the alert of which TM's task. */
public final class StateFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StateFile() {
    }

    public static Path journal(Path stateDir) {
        return stateDir.resolve(io.github.phrasetmmonitor.state.IncidentState.JOURNAL);
    }

    /**
     * The lines the monitor has finished writing. A test reads the journal while the monitor appends to it, so the last
     * line may be half written.
     */
    public static java.util.List<String> completeLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return java.util.List.of();
        }
        String text = Files.readString(file);
        return text.lines().limit(text.chars().filter(c -> c == '\n').count()).toList();
    }

    /**
     * {@code <channel>:<tm uid>:<task id>} for every target channel whose alert was delivered (by itself or by the
     * fallback), as of the last line written for each task; closed tasks are left out.
     */
    public static Set<String> deliveredAlerts(Path stateDir) throws IOException {
        java.util.Map<String, JsonNode> last = new java.util.LinkedHashMap<>();
        for (String line : completeLines(journal(stateDir))) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode entry = JSON.readTree(line);
            if (entry.has("incident") && entry.get("incident").has("facts")) {
                JsonNode facts = entry.get("incident").get("facts");
                last.put(facts.get("tmUid").asText() + ":" + facts.get("taskId").asText(), entry.get("incident"));
            } else if (entry.has("closed") && entry.get("closed").has("taskId")) {
                last.remove(entry.get("closed").get("tmUid").asText() + ":" + entry.get("closed").get("taskId").asText());
            }
        }
        Set<String> delivered = new LinkedHashSet<>();
        last.forEach((task, failure) -> failure.path("alerted").fieldNames()
                .forEachRemaining(channel -> delivered.add(channel + ":" + task)));
        return delivered;
    }
}
