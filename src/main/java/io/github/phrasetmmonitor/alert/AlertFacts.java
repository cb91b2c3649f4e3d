package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.classify.TaskCheck;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a failure alert says, channel-neutral: labelled facts in reading order. The values are Phrase's text, raw;
 * each channel escapes them for its own format.
 */
public record AlertFacts(String tmName, String tmUid, List<Fact> facts) {

    public record Fact(String label, String value) {
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    public static AlertFacts of(TaskCheck check) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Translation memory", check.tmName()));
        facts.add(new Fact("TM uid", check.tmUid()));
        facts.add(new Fact("Action", orDash(check.action())));
        facts.add(new Fact("Task id", check.taskId()));
        facts.add(new Fact("Created", check.createdAt() == null ? "-" : WHEN.format(check.createdAt())));
        facts.add(new Fact("Status", orDash(check.status())));
        addIfPresent(facts, "Error code", check.errorCode());
        addIfPresent(facts, "Error", check.errorDescription());
        List<String> details = check.errorMessages();
        if (!details.isEmpty()) {
            facts.add(new Fact("Error details", String.join("\n", details)));
        }
        addIfPresent(facts, "Last task error", check.lastTaskError());
        return new AlertFacts(check.tmName(), check.tmUid(), List.copyOf(facts));
    }

    private static void addIfPresent(List<Fact> facts, String label, String value) {
        if (value != null && !value.isBlank()) {
            facts.add(new Fact(label, value));
        }
    }

    private static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
