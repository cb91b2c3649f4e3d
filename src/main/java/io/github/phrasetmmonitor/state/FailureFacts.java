package io.github.phrasetmmonitor.state;

import io.github.phrasetmmonitor.classify.TaskCheck;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * What an alert says about one failed task, channel-neutral and raw (each channel escapes it for its own format).
 * It is kept with the failure in the state store, so reminders, retries and the resolved notice can be written after
 * a restart without asking Phrase again. Phrase's text is cut to {@link #TEXT_LIMIT} characters per value and
 * {@link #DETAILS_LIMIT} details: enough for people, bounded for the state file.
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
        String lastTaskError) {

    static final int TEXT_LIMIT = 2000;
    static final int DETAILS_LIMIT = 20;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    public FailureFacts {
        Objects.requireNonNull(tmUid, "tmUid");
        Objects.requireNonNull(taskId, "taskId");
        tmName = tmName == null || tmName.isBlank() ? tmUid : tmName;
        errorDetails = errorDetails == null ? List.of() : List.copyOf(errorDetails);
    }

    public static FailureFacts of(TaskCheck check) {
        List<String> details = check.errorMessages().stream().limit(DETAILS_LIMIT).map(FailureFacts::cut).toList();
        return new FailureFacts(cut(check.tmName()), check.tmUid(), check.taskId(), cut(check.action()),
                check.createdAt() == null ? null : WHEN.format(check.createdAt().toInstant().atOffset(
                        java.time.ZoneOffset.UTC)),
                cut(check.status()), cut(check.errorCode()), cut(check.errorDescription()), details,
                cut(check.lastTaskError()));
    }

    /** The error in one line for a digest or a log: the first of error, last task error, details, error code. */
    public String errorSummary(int limit) {
        String text = firstPresent(error, lastTaskError, errorDetails.isEmpty() ? null : String.join("; ", errorDetails),
                errorCode, status);
        String oneLine = text == null ? "-" : text.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]+", " ")
                .replaceAll(" {2,}", " ").strip();
        return oneLine.length() <= limit ? oneLine : oneLine.substring(0, limit - 1) + "…";
    }

    private static String firstPresent(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String cut(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT - 1) + "…";
    }
}
