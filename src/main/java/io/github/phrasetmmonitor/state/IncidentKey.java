package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.phrasetmmonitor.text.SafeText;

/**
 * What an incident is about: a failed task (the watched TM's uid and the task id) or a problem of the monitor (its
 * key, e.g. {@code phrase-unavailable} or {@code tm-failing:<uid>}). Values are bounded as {@link FailureFacts}
 * bounds them, so the tombstone of a task with a long id, written by an earlier release as Phrase sent it, still
 * matches the task when it is polled. A tombstone of the 0.x alert journal ({@code {"tmUid":…,"taskId":…}}) reads
 * as a task key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentKey(String tmUid, String taskId, String problem) {

    public IncidentKey {
        tmUid = tmUid == null ? null : SafeText.id(tmUid);
        taskId = taskId == null ? null : SafeText.id(taskId);
        problem = problem == null ? null : SafeText.line(problem, SafeText.LINE);
    }

    public static IncidentKey task(String tmUid, String taskId) {
        return new IncidentKey(tmUid, taskId, null);
    }

    public static IncidentKey problem(String key) {
        return new IncidentKey(null, null, key);
    }

    public boolean isProblem() {
        return problem != null;
    }

    /** One text per key, for a store that indexes incidents by key (the cluster's table). */
    public String id() {
        return isProblem() ? "problem:" + problem : "task:" + tmUid + "/" + taskId;
    }

    @Override
    public String toString() {
        return isProblem() ? problem : "TM " + tmUid + " task " + taskId;
    }
}
