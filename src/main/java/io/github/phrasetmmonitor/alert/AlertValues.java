package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.settings.TmLinks;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.ProblemFacts;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The values a template sees, each escaped for the template's format by {@code escape} (Slack's three characters,
 * HTML, or nothing for plain text). Absent values are null, so {@code {{#name}}} hides their part. {@code tmUrl}, the
 * TM's page in Phrase ({@link TmLinks}), is escaped like the others: its uid is URL-escaped first, and an HTML
 * attribute or a Slack link reads it back as it was.
 */
public final class AlertValues {

    /** A digest's error per failure, in one line. */
    static final int DIGEST_ERROR_LIMIT = 300;
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private AlertValues() {
    }

    /** The values of the notice's templates, each escaped by {@code escape}; absent ones are null. */
    public static Map<String, Object> of(Notice notice, UnaryOperator<String> escape, TmLinks links) {
        Map<String, Object> values;
        if (notice.isAboutProblem()) {
            values = notice.isList() ? problems(notice.incidents(), escape, links)
                    : problem(notice.incident(), escape, links);
            values.put("recovered", notice.kind() == Notice.Kind.RESOLVED ? Boolean.TRUE : null);
        } else if (notice.isList()) {
            values = digest(notice.incidents(), escape, links);
            values.put("resolved", notice.kind() == Notice.Kind.RESOLVED ? Boolean.TRUE : null);
        } else {
            values = notice.kind() == Notice.Kind.RESOLVED ? resolved(notice.incident(), escape, links)
                    : failure(notice.incident(), escape, links);
        }
        values.put("reminder", notice.kind() == Notice.Kind.REMINDER ? Boolean.TRUE : null);
        // a task still running after monitor.stuck-after: the same templates, worded by {{#stuck}}
        values.put("stuck", !notice.isAboutProblem() && notice.incident().isStuck() ? Boolean.TRUE : null);
        values.put("fallbackFor", notice.isFallback() ? channelName(notice.standsInFor()) : null);
        return values;
    }

    static Map<String, Object> failure(Incident record, UnaryOperator<String> escape, TmLinks links) {
        FailureFacts facts = record.facts();
        Map<String, Object> values = whichTask(facts, escape, links);
        values.put("created", text(facts.created(), escape));
        values.put("status", text(facts.status(), escape));
        values.put("errorCode", text(facts.errorCode(), escape));
        values.put("error", text(facts.error(), escape));
        values.put("errorDetails", facts.errorDetails().stream().map(escape).toList());
        values.put("hasErrorDetails", facts.errorDetails().isEmpty() ? null : Boolean.TRUE);
        values.put("lastTaskError", text(facts.lastTaskError(), escape));
        values.put("firstAlerted", firstAlerted(record));
        values.put("detected", record.detectedAt() == null ? null : WHEN.format(record.detectedAt()));
        return values;
    }

    static Map<String, Object> resolved(Incident record, UnaryOperator<String> escape, TmLinks links) {
        Map<String, Object> values = failure(record, escape, links);
        Incident.Resolution resolution = record.resolution();
        if (resolution != null) {
            // a stuck task ends by finishing itself, or by a newer task of the TM
            values.put("sameTask", record.facts().taskId().equals(resolution.taskId()) ? Boolean.TRUE : null);
            values.put("resolvedBy", text(resolution.taskId(), escape));
            values.put("resolvedAction", text(resolution.action(), escape));
            values.put("resolvedFinished", text(resolution.finished(), escape));
        }
        return values;
    }

    static Map<String, Object> digestItem(Incident record, UnaryOperator<String> escape, TmLinks links) {
        FailureFacts facts = record.facts();
        Map<String, Object> values = whichTask(facts, escape, links);
        values.put("error", text(facts.errorSummary(DIGEST_ERROR_LIMIT), escape));
        values.put("created", text(facts.created(), escape));
        values.put("stuck", facts.isStuck() ? Boolean.TRUE : null);
        return values;
    }

    /** What every message about a failed task names: the TM and its page in Phrase, the task and its action. */
    private static Map<String, Object> whichTask(FailureFacts facts, UnaryOperator<String> escape, TmLinks links) {
        Map<String, Object> values = new HashMap<>();
        values.put("tmName", text(facts.tmName(), escape));
        values.put("tmUid", text(facts.tmUid(), escape));
        values.put("tmUrl", tmUrl(facts.tmUid(), escape, links));
        values.put("taskId", text(facts.taskId(), escape));
        values.put("action", text(facts.action(), escape));
        return values;
    }

    static Map<String, Object> digest(List<Incident> failures, UnaryOperator<String> escape, TmLinks links) {
        Map<String, Object> values = new HashMap<>();
        values.put("count", failures.size());
        values.put("failures", failures.stream().map(record -> digestItem(record, escape, links)).toList());
        return values;
    }

    /** A monitor problem: what failed, about whom, since when, the last error, and when it recovered. */
    static Map<String, Object> problem(Incident incident, UnaryOperator<String> escape, TmLinks links) {
        ProblemFacts problem = incident.problem();
        Map<String, Object> values = new HashMap<>();
        values.put("problem", text(problem.key(), escape));
        values.put("problemKind", text(problem.kind(), escape));
        // a problem of delivering email blinds no check: the other channels, and polling, go on
        values.put("aboutDelivery", problem.kind().startsWith("email-") ? Boolean.TRUE : null);
        values.put("subject", text(problem.subject(), escape));
        // set only for a problem about one TM (tm-not-found, tm-failing)
        values.put("tmUrl", tmUrl(problem.tmUid(), escape, links));
        values.put("what", text(problem.what(), escape));
        values.put("since", WHEN.format(problem.since()));
        values.put("lastError", text(problem.lastError(), escape));
        values.put("recoveredAt", incident.resolution() == null ? null : WHEN.format(incident.resolution().at()));
        values.put("firstAlerted", firstAlerted(incident));
        return values;
    }

    /** Several problems in one message: count, and per item what {@link #problem} gives. */
    static Map<String, Object> problems(List<Incident> incidents, UnaryOperator<String> escape, TmLinks links) {
        Map<String, Object> values = new HashMap<>();
        values.put("count", incidents.size());
        values.put("problems", incidents.stream().map(incident -> problem(incident, escape, links)).toList());
        return values;
    }

    private static String firstAlerted(Incident record) {
        return record.alerted().values().stream().map(Incident.Delivery::at)
                .min(Instant::compareTo).map(WHEN::format).orElse(null);
    }

    static String channelName(String channel) {
        return Notice.titleOf(channel);
    }

    /** The TM's page in Phrase, escaped like every value; null when links are off or the TM is unknown. */
    public static String tmUrl(String tmUid, UnaryOperator<String> escape, TmLinks links) {
        return links.of(tmUid).map(escape).orElse(null);
    }

    private static String text(String value, UnaryOperator<String> escape) {
        return value == null || value.isBlank() ? null : escape.apply(value);
    }
}
