package io.github.phrasetmmonitor.classify;

import io.github.phrasetmmonitor.model.AsyncResponseDto;
import io.github.phrasetmmonitor.model.BackgroundTasksTmDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;

/**
 * Decides the outcome of a TM's last background task. Phrase's {@code status} is a free string, so a failure is
 * recognised by any of its signs, whatever the status says; only then do running and finished tasks count.
 */
public final class TaskClassifier {

    /** monitor.failed-statuses, normalised; a reload may swap the set. */
    private volatile Set<String> failedStatuses;

    public TaskClassifier(Collection<String> failedStatuses) {
        this.failedStatuses = normalised(failedStatuses);
    }

    /** A reload changed monitor.failed-statuses: the checks from now on read these. */
    public void takeOver(Collection<String> statuses) {
        this.failedStatuses = normalised(statuses);
    }

    private static Set<String> normalised(Collection<String> statuses) {
        return statuses.stream()
                .map(TaskClassifier::normalise)
                .filter(status -> !status.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** @param task the parsed lastBackgroundTask answer, or null when Phrase said the TM has none */
    public TaskCheck classify(TransMemoryDto tm, BackgroundTasksTmDto task) {
        return new TaskCheck(tm, task, outcomeOf(task));
    }

    /**
     * The route {@code check-translation-memory}'s step: classifies the task in the body for the TM in variable
     * {@code tm}, and sets the variables that the routing rules read: {@code outcome}, {@code taskStatus} (Phrase's
     * own status string) and {@code tmName}. They are set here rather than with {@code ${body.outcome}} in the
     * YAML because Camel evaluates such an expression by copying the whole exchange and introspecting the body's
     * class, on every poll: that cost more CPU than parsing the answer (see BENCHMARKS.md).
     */
    public TaskCheck classifyForRouting(@Variable("tm") TransMemoryDto tm, @Body BackgroundTasksTmDto task,
                                        Exchange exchange) {
        TaskCheck check = classify(tm, task);
        exchange.setVariable("outcome", check.outcome());
        exchange.setVariable("taskStatus", check.status());
        exchange.setVariable("tmName", check.tmName());
        return check;
    }

    public TaskOutcome outcomeOf(BackgroundTasksTmDto task) {
        if (task == null) {
            return TaskOutcome.NO_TASK;
        }
        AsyncResponseDto response = task.asyncRequest() == null ? null : task.asyncRequest().asyncResponse();
        if (showsFailure(task, response)) {
            return TaskOutcome.FAILED;
        }
        if (task.asyncRequest() == null) {
            return TaskOutcome.NO_TASK;
        }
        if (response == null) {
            return TaskOutcome.RUNNING;
        }
        return response.warnings().isEmpty() ? TaskOutcome.OK : TaskOutcome.OK_WITH_WARNINGS;
    }

    private boolean showsFailure(BackgroundTasksTmDto task, AsyncResponseDto response) {
        return isPresent(task.lastTaskError())
                || (task.status() != null && failedStatuses.contains(normalise(task.status())))
                || (response != null && (isPresent(response.errorCode()) || !response.errorDetails().isEmpty()));
    }

    private static boolean isPresent(String text) {
        return text != null && !text.isBlank();
    }

    private static String normalise(String status) {
        return status.trim().toUpperCase(Locale.ROOT);
    }
}
