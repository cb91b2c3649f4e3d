package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.phrasetmmonitor.text.SafeText;

/**
 * What an incident is about: a failed task (the watched TM's uid and the task id), a task stuck in RUNNING (the same,
 * with {@code stuck} set: the same task may later fail, which is an incident of its own) or a problem of the monitor
 * (its key, e.g. {@code phrase-unavailable} or {@code tm-failing:<uid>}). Values are bounded as {@link FailureFacts}
 * bounds them, so the tombstone of a task with a long id, written by an earlier release as Phrase sent it, still
 * matches the task when it is polled. A tombstone of the 0.x alert journal ({@code {"tmUid":…,"taskId":…}}) reads
 * as a task key; a line written before stuck tasks existed has no {@code stuck} and reads as a failed task's key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentKey(String tmUid, String taskId, String problem, Boolean stuck) {

    public IncidentKey {
        tmUid = tmUid == null ? null : SafeText.id(tmUid);
        taskId = taskId == null ? null : SafeText.id(taskId);
        problem = problem == null ? null : SafeText.line(problem, SafeText.LINE);
        stuck = Boolean.TRUE.equals(stuck) ? Boolean.TRUE : null; // absent, not false, so old and new lines are equal
    }

    public static IncidentKey task(String tmUid, String taskId) {
        return new IncidentKey(tmUid, taskId, null, null);
    }

    /** A task still RUNNING after monitor.stuck-after. */
    public static IncidentKey stuck(String tmUid, String taskId) {
        return new IncidentKey(tmUid, taskId, null, Boolean.TRUE);
    }

    public static IncidentKey problem(String key) {
        return new IncidentKey(null, null, key, null);
    }

    public boolean isProblem() {
        return problem != null;
    }

    public boolean isStuck() {
        return stuck != null;
    }

    /** One text per key, for a store that indexes incidents by key (the cluster's table). */
    public String id() {
        return isProblem() ? "problem:" + problem
                : (isStuck() ? "stuck:" : "task:") + tmUid + "/" + taskId;
    }

    @Override
    public String toString() {
        return isProblem() ? problem : "TM " + tmUid + (isStuck() ? " stuck task " : " task ") + taskId;
    }
}
