package io.github.phrasetmmonitor.state;

import io.github.phrasetmmonitor.classify.TaskCheck;
import io.github.phrasetmmonitor.text.SafeText;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * What an alert says about one failed task, or about one task still RUNNING after {@code monitor.stuck-after}
 * ({@code stuck} set; then there is no error and {@code created} is when it started), channel-neutral and raw (each
 * channel escapes it for its own format).
 * It is kept with the failure in the state store, so reminders, retries and the resolved notice can be written after
 * a restart without asking Phrase again. Every value is bounded and cleaned by {@link SafeText} here, whoever builds
 * the record: a poll, or the journal of an earlier release, which kept Phrase's text up to 2,000 characters per value
 * and ids as long as Phrase sent them; its records still load, and are cut as they are read.
 */
public record FailureFacts(
        String tmName,
        String tmUid,
        String taskId,
        String action,
        String created,
        String status,
        String errorCode,
        String error,
        List<String> errorDetails,
        String lastTaskError,
        Boolean stuck) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    public FailureFacts {
        tmUid = SafeText.id(Objects.requireNonNull(tmUid, "tmUid"));
        taskId = SafeText.id(Objects.requireNonNull(taskId, "taskId"));
        tmName = SafeText.name(tmName);
        tmName = tmName == null || tmName.isBlank() ? tmUid : tmName;
        action = SafeText.code(action);
        status = SafeText.code(status);
        errorCode = SafeText.code(errorCode);
        error = SafeText.error(error);
        errorDetails = errorDetails == null ? List.of() : errorDetails.stream().filter(Objects::nonNull)
                .limit(SafeText.ERROR_DETAILS).map(SafeText::errorDetail).toList();
        lastTaskError = SafeText.error(lastTaskError);
        stuck = Boolean.TRUE.equals(stuck) ? Boolean.TRUE : null; // absent in the journal unless stuck
    }

    /** A failed task. */
    public FailureFacts(String tmName, String tmUid, String taskId, String action, String created, String status,
                        String errorCode, String error, List<String> errorDetails, String lastTaskError) {
        this(tmName, tmUid, taskId, action, created, status, errorCode, error, errorDetails, lastTaskError, null);
    }

    public static FailureFacts of(TaskCheck check) {
        return new FailureFacts(check.tmName(), check.tmUid(), check.taskId(), check.action(),
                check.createdAt() == null ? null : WHEN.format(check.createdAt().toInstant().atOffset(
                        java.time.ZoneOffset.UTC)),
                check.status(), check.errorCode(), check.errorDescription(), check.errorMessages(),
                check.lastTaskError());
    }

    /** A task still running after monitor.stuck-after: what it is and since when, no error. */
    public static FailureFacts stuck(TaskCheck check) {
        return new FailureFacts(check.tmName(), check.tmUid(), check.taskId(), check.action(),
                check.createdAt() == null ? null : WHEN.format(check.createdAt().toInstant().atOffset(
                        java.time.ZoneOffset.UTC)),
                check.status(), null, null, List.of(), null, Boolean.TRUE);
    }

    public boolean isStuck() {
        return stuck != null;
    }

    /** The error in one line for a digest or a log: the first of error, last task error, details, error code. */
    public String errorSummary(int limit) {
        String text = firstPresent(error, lastTaskError, errorDetails.isEmpty() ? null : String.join("; ", errorDetails),
                errorCode, status);
        return text == null ? "-" : SafeText.line(text, limit);
    }

    private static String firstPresent(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
