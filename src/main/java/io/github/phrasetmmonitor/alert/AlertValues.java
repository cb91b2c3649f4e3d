package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.FailureRecord;
import io.github.phrasetmmonitor.state.MonitorProblem;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The values a template sees, each escaped for the template's format by {@code escape} (Slack's three characters,
 * HTML, or nothing for plain text). Absent values are null, so {@code {{#name}}} hides their part.
 */
final class AlertValues {

    /** A digest's error per failure, in one line. */
    static final int DIGEST_ERROR_LIMIT = 300;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private AlertValues() {
    }

    static Map<String, Object> of(Notice notice, UnaryOperator<String> escape) {
        if (notice.isAboutProblem()) {
            return problem(notice, escape);
        }
        Map<String, Object> values = notice.isList() ? digest(notice.failures(), escape)
                : switch (notice.kind()) {
                    case ALERT, REMINDER, DIGEST -> failure(notice.failure(), escape);
                    case RESOLVED -> resolved(notice.failure(), escape);
                    case PROBLEM, RECOVERED -> throw new IllegalStateException("a problem notice has no failures");
                };
        values.put("reminder", notice.kind() == Notice.Kind.REMINDER ? Boolean.TRUE : null);
        values.put("fallbackFor", notice.isFallback() ? channelName(notice.standsInFor()) : null);
        return values;
    }

    static Map<String, Object> failure(FailureRecord record, UnaryOperator<String> escape) {
        FailureFacts facts = record.facts();
        Map<String, Object> values = whichTask(facts, escape);
        values.put("created", text(facts.created(), escape));
        values.put("status", text(facts.status(), escape));
        values.put("errorCode", text(facts.errorCode(), escape));
        values.put("error", text(facts.error(), escape));
        values.put("errorDetails", facts.errorDetails().stream().map(escape).toList());
        values.put("hasErrorDetails", facts.errorDetails().isEmpty() ? null : Boolean.TRUE);
        values.put("lastTaskError", text(facts.lastTaskError(), escape));
        values.put("firstAlerted", record.alerted().values().stream().map(FailureRecord.Delivery::at)
                .min(Instant::compareTo).map(WHEN::format).orElse(null));
        return values;
    }

    static Map<String, Object> resolved(FailureRecord record, UnaryOperator<String> escape) {
        Map<String, Object> values = failure(record, escape);
        FailureRecord.Resolution resolution = record.resolution();
        if (resolution != null) {
            values.put("resolvedBy", text(resolution.taskId(), escape));
            values.put("resolvedAction", text(resolution.action(), escape));
            values.put("resolvedFinished", text(resolution.finished(), escape));
        }
        return values;
    }

    static Map<String, Object> digestItem(FailureRecord record, UnaryOperator<String> escape) {
        FailureFacts facts = record.facts();
        Map<String, Object> values = whichTask(facts, escape);
        values.put("error", text(facts.errorSummary(DIGEST_ERROR_LIMIT), escape));
        return values;
    }

    /** What every message about a failed task names: the TM, the task and its action. */
    private static Map<String, Object> whichTask(FailureFacts facts, UnaryOperator<String> escape) {
        Map<String, Object> values = new HashMap<>();
        values.put("tmName", text(facts.tmName(), escape));
        values.put("tmUid", text(facts.tmUid(), escape));
        values.put("taskId", text(facts.taskId(), escape));
        values.put("action", text(facts.action(), escape));
        return values;
    }

    static Map<String, Object> digest(List<FailureRecord> failures, UnaryOperator<String> escape) {
        Map<String, Object> values = new HashMap<>();
        values.put("count", failures.size());
        values.put("failures", failures.stream().map(record -> digestItem(record, escape)).toList());
        return values;
    }

    /** A monitor problem: what failed, about whom, since when, the last error, and when it recovered. */
    static Map<String, Object> problem(Notice notice, UnaryOperator<String> escape) {
        MonitorProblem problem = notice.problem();
        Map<String, Object> values = new HashMap<>();
        values.put("problem", text(problem.key(), escape));
        values.put("subject", text(problem.subject(), escape));
        values.put("what", text(problem.what(), escape));
        values.put("since", WHEN.format(problem.since()));
        values.put("lastError", text(problem.lastError(), escape));
        values.put("recovered", notice.kind() == Notice.Kind.RECOVERED ? Boolean.TRUE : null);
        values.put("recoveredAt", problem.recoveredAt() == null ? null : WHEN.format(problem.recoveredAt()));
        values.put("reminder", null);
        values.put("fallbackFor", null);
        return values;
    }

    static String channelName(String channel) {
        return "slack".equals(channel) ? "Slack" : channel;
    }

    private static String text(String value, UnaryOperator<String> escape) {
        return value == null || value.isBlank() ? null : escape.apply(value);
    }
}
