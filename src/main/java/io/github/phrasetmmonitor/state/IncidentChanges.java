package io.github.phrasetmmonitor.state;

/** Told of each change {@link IncidentState} makes (not of what it reads back): the summaries keep their ledger so. */
@FunctionalInterface
public interface IncidentChanges {

    IncidentChanges NONE = (before, after, superseded) -> { };

    /**
     * @param before     the incident as it was; null when it is new
     * @param after      as it is now; null when it was closed
     * @param superseded closed because a newer failure of its TM took its place, not because it ended
     */
    void changed(Incident before, Incident after, boolean superseded);
}
