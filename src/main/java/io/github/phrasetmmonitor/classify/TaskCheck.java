package io.github.phrasetmmonitor.classify;

import io.github.phrasetmmonitor.model.AsyncRequestDto;
import io.github.phrasetmmonitor.model.AsyncResponseDto;
import io.github.phrasetmmonitor.model.BackgroundTasksTmDto;
import io.github.phrasetmmonitor.model.ErrorDetailDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import io.github.phrasetmmonitor.text.SafeText;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One poll's verdict on one translation memory: the TM, its last task as Phrase sent it, and the outcome. The task is
 * kept as Phrase sent it, for the classifier; what the rest of the monitor reads of it (the routing rules, logs, the
 * alert state) comes through these accessors, bounded and cleaned by {@link SafeText}.
 */
public record TaskCheck(TransMemoryDto tm, BackgroundTasksTmDto task, TaskOutcome outcome) {

    public TaskCheck {
        Objects.requireNonNull(tm, "tm");
        Objects.requireNonNull(outcome, "outcome");
    }

    public String tmUid() {
        return tm.uid();
    }

    public String tmName() {
        return SafeText.name(tm.displayName());
    }

    /** Phrase's status string, which has no published values. */
    public String status() {
        return task == null ? null : SafeText.code(task.status());
    }

    public String action() {
        return request() == null ? null : SafeText.code(request().action());
    }

    public OffsetDateTime createdAt() {
        return request() == null ? null : request().dateCreated();
    }

    /** When Phrase wrote the task's answer, i.e. when it finished; null while it runs. */
    public OffsetDateTime finishedAt() {
        return response() == null ? null : response().dateCreated();
    }

    public String errorCode() {
        return response() == null ? null : SafeText.code(response().errorCode());
    }

    public String errorDescription() {
        return response() == null ? null : SafeText.error(response().errorDesc());
    }

    public String lastTaskError() {
        return task == null ? null : SafeText.error(task.lastTaskError());
    }

    /** The first {@link SafeText#ERROR_DETAILS} of errorDetails. */
    public List<String> errorMessages() {
        return response() == null ? List.of() : describe(response().errorDetails());
    }

    /** The first {@link SafeText#ERROR_DETAILS} of warnings. */
    public List<String> warningMessages() {
        return response() == null ? List.of() : describe(response().warnings());
    }

    /**
     * Identifies the task for "alert once": Phrase's task id, or, for a failure reported without one, a fingerprint
     * of what it said, so the same failure is not re-sent every round but a different one is.
     */
    public String taskId() {
        if (request() != null && request().id() != null && !request().id().isBlank()) {
            return SafeText.id(request().id());
        }
        // what Phrase sent, not the bounded text: two failures that differ only past the cut stay two
        return "unidentified-" + SafeText.fingerprint(task == null ? "null\nnull\nnull" : task.status() + "\n"
                + task.lastTaskError() + "\n" + (response() == null ? null : response().errorCode()));
    }

    private AsyncRequestDto request() {
        return task == null ? null : task.asyncRequest();
    }

    private AsyncResponseDto response() {
        return request() == null ? null : request().asyncResponse();
    }

    private static List<String> describe(List<ErrorDetailDto> details) {
        return details.stream()
                .map(detail -> detail.message() != null && !detail.message().isBlank() ? detail.message() : detail.code())
                .filter(Objects::nonNull)
                .limit(SafeText.ERROR_DETAILS)
                .map(SafeText::errorDetail)
                .toList();
    }
}
