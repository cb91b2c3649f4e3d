package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.state.FailureRecord;
import io.github.phrasetmmonitor.state.MonitorProblem;
import java.util.List;
import java.util.Objects;

/**
 * One message to send on one channel: a failure alert, a digest of several, a reminder (of one or, in a storm, of
 * several) or a resolved notice, to a
 * destination (the Slack webhook's name, or the email recipients). {@code standsInFor} names the channel a fallback
 * delivery replaces; it is null for an ordinary one.
 *
 * <p>A {@link Kind#PROBLEM} or {@link Kind#RECOVERED} notice is about the monitor itself (refused credentials, a TM
 * that does not exist or keeps failing, no successful round): it carries that {@code problem} and no failures.
 */
public record Notice(Kind kind, String channel, String destination, String standsInFor, List<FailureRecord> failures,
                     MonitorProblem problem) {

    public enum Kind { ALERT, DIGEST, REMINDER, RESOLVED, PROBLEM, RECOVERED }

    public Notice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(destination, "destination");
        failures = List.copyOf(failures);
        boolean aboutTheMonitor = kind == Kind.PROBLEM || kind == Kind.RECOVERED;
        if (aboutTheMonitor && problem == null) {
            throw new IllegalArgumentException("a " + kind + " notice is about a monitor problem");
        }
        if (!aboutTheMonitor && failures.isEmpty()) {
            throw new IllegalArgumentException("a notice is about at least one failure");
        }
    }

    public Notice(Kind kind, String channel, String destination, String standsInFor, List<FailureRecord> failures) {
        this(kind, channel, destination, standsInFor, failures, null);
    }

    /** A problem alert or recovery notice about the monitor itself. */
    public static Notice aboutProblem(Kind kind, String channel, String destination, MonitorProblem problem) {
        return new Notice(kind, channel, destination, null, List.of(), problem);
    }

    public boolean isAboutProblem() {
        return problem != null;
    }

    /** A notice listing several failures: a digest, or the reminder of several at once. */
    public boolean isList() {
        return !isAboutProblem() && (kind == Kind.DIGEST || failures.size() > 1);
    }

    /** The failure of a single-failure notice; the first of a digest. */
    public FailureRecord failure() {
        return failures.get(0);
    }

    /** The channel whose people this notice is for: the one it stands in for, or its own. */
    public String onBehalfOf() {
        return standsInFor == null ? channel : standsInFor;
    }

    public boolean isFallback() {
        return standsInFor != null;
    }

    /** For log lines, e.g. "alert for TM abc task t-1" or "digest of 8 failed tasks". */
    public String summary() {
        String what = switch (kind) {
            case ALERT -> "alert for TM " + failure().tmUid() + " task " + failure().taskId();
            case DIGEST -> "digest of " + failures.size() + " failed tasks";
            case REMINDER -> failures.size() > 1 ? "reminder of " + failures.size() + " failed tasks"
                    : "reminder for TM " + failure().tmUid() + " task " + failure().taskId();
            case RESOLVED -> "resolved notice for TM " + failure().tmUid() + " task " + failure().taskId();
            case PROBLEM -> "problem alert " + problem.key();
            case RECOVERED -> "recovery notice " + problem.key();
        };
        return isFallback() ? what + " (fallback for " + standsInFor + ")" : what;
    }
}
