package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.classify.TaskCheck;

/**
 * A failure alert as a plain-text email. Phrase's text reaches the subject only with line breaks and control
 * characters removed, so it can never end the header block or add a header (and with it, recipients).
 */
public final class EmailAlertComposer {

    private static final int SUBJECT_LIMIT = 180;

    public String subject(TaskCheck check) {
        String action = check.action() == null ? "Task" : check.action();
        return headerSafe("[Phrase TM] " + action + " failed: " + check.tmName());
    }

    public String body(TaskCheck check) {
        AlertFacts facts = AlertFacts.of(check);
        StringBuilder text = new StringBuilder("A background task of a Phrase translation memory failed.\n\n");
        for (AlertFacts.Fact fact : facts.facts()) {
            text.append(fact.label()).append(": ");
            text.append(fact.value().contains("\n") ? "\n  " + fact.value().replace("\n", "\n  ") : fact.value());
            text.append('\n');
        }
        text.append("\nSent once per task by phrase-tm-monitor.\n");
        return text.toString();
    }

    static String headerSafe(String text) {
        String folded = text.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]+", " ").replaceAll(" {2,}", " ").strip();
        return folded.length() <= SUBJECT_LIMIT ? folded : folded.substring(0, SUBJECT_LIMIT - 1) + "…";
    }
}
