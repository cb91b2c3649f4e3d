package io.github.phrasetmmonitor.classify;

/** What the last background task of a translation memory amounts to; routes branch on its name. */
public enum TaskOutcome {
    /** The TM never ran a background task (204, 404 on a TM that exists, empty body, no asyncRequest). */
    NO_TASK,
    /** Any failure sign: an error code, error details, lastTaskError, or a status listed as failed. */
    FAILED,
    /** Started, not finished: asyncResponse is still null. */
    RUNNING,
    /** Finished without error but with warnings. */
    OK_WITH_WARNINGS,
    /** Finished without error. */
    OK
}
