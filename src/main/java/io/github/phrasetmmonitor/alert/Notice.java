package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.state.Incident;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One message to send on one channel about incidents of one kind (failed tasks, stuck tasks, or problems of the
 * monitor): an alert, a digest of several, a reminder (of one or, in a storm, of several) or a resolved notice (a
 * recovery, for a problem), to a destination (the Slack webhook's name, or the email recipients). {@code standsInFor} names the
 * channel a fallback delivery replaces; it is null for an ordinary one.
 */
public record Notice(Kind kind, String channel, String destination, String standsInFor, List<Incident> incidents) {

    public enum Kind { ALERT, DIGEST, REMINDER, RESOLVED }

    /** Every value {@link #metricKind()} gives: the metrics export each from start-up, at 0 until it happens. */
    public static final List<String> METRIC_KINDS = List.of("alert", "digest", "reminder", "resolved", "problem",
            "recovered");

    public Notice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(destination, "destination");
        incidents = List.copyOf(incidents);
        if (incidents.isEmpty()) {
            throw new IllegalArgumentException("a notice is about at least one incident");
        }
        if (incidents.stream().map(Incident::kind).distinct().count() > 1) {
            throw new IllegalArgumentException("a notice is about failed tasks, stuck tasks or problems, one kind");
        }
    }

    /** About problems of the monitor itself, not about failed tasks. */
    public boolean isAboutProblem() {
        return incidents.get(0).isProblem();
    }

    /** A notice listing several incidents: a digest, or the reminder or resolved notice of several at once. */
    public boolean isList() {
        return kind == Kind.DIGEST || incidents.size() > 1;
    }

    /** The incident of a single notice; the first of a list. */
    public Incident incident() {
        return incidents.get(0);
    }

    /** The channel whose people this notice is for: the one it stands in for, or its own. */
    public String onBehalfOf() {
        return standsInFor == null ? channel : standsInFor;
    }

    public boolean isFallback() {
        return standsInFor != null;
    }

    /**
     * Which template a channel renders it with: alert (also reminders of one), resolved, digest (also reminders and
     * resolved notices of several), problem, problem-digest.
     */
    public String templateKind() {
        if (isAboutProblem()) {
            return isList() ? "problem-digest" : "problem";
        }
        if (isList()) {
            return "digest";
        }
        return kind == Kind.RESOLVED ? "resolved" : "alert";
    }

    /** The channel's name as log lines start with it: Slack, Email, Pagerduty. */
    public String channelTitle() {
        return titleOf(channel);
    }

    /** A channel's name as text shows it: its first letter upper case (slack: Slack). */
    public static String titleOf(String channel) {
        return channel == null || channel.isEmpty() ? "" : Character.toUpperCase(channel.charAt(0))
                + channel.substring(1);
    }

    /** The kind as metrics name it: alert, digest, reminder, resolved; problem and recovered for the monitor's own. */
    public String metricKind() {
        if (isAboutProblem() && (kind == Kind.ALERT || kind == Kind.DIGEST)) {
            return "problem";
        }
        if (isAboutProblem() && kind == Kind.RESOLVED) {
            return "recovered";
        }
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * For log lines, e.g. "alert for TM abc task t-1", "alert for TM abc stuck task t-2", "digest of 8 failed tasks",
     * "problem alert stale".
     */
    public String summary() {
        String what;
        if (isAboutProblem()) {
            String problems = incidents.size() + " monitor problems";
            String key = incident().problem().key();
            what = switch (kind) {
                case ALERT -> "problem alert " + key;
                case DIGEST -> "digest of " + problems;
                case REMINDER -> isList() ? "reminder of " + problems : "reminder of problem " + key;
                case RESOLVED -> isList() ? "recovery notice of " + problems : "recovery notice " + key;
            };
        } else {
            boolean stuck = incident().isStuck();
            String tasks = incidents.size() + (stuck ? " stuck tasks" : " failed tasks");
            String one = "TM " + incident().tmUid() + (stuck ? " stuck task " : " task ") + incident().taskId();
            what = switch (kind) {
                case ALERT -> "alert for " + one;
                case DIGEST -> "digest of " + tasks;
                case REMINDER -> isList() ? "reminder of " + tasks : "reminder for " + one;
                case RESOLVED -> isList() ? "resolved notice of " + tasks : "resolved notice for " + one;
            };
        }
        return isFallback() ? what + " (fallback for " + standsInFor + ")" : what;
    }
}
