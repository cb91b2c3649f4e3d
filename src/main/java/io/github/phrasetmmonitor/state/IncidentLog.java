package io.github.phrasetmmonitor.state;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Where {@link IncidentState} keeps its journal lines: a file for one process ({@link JournalFile}), or a PostgreSQL
 * table shared by several instances ({@code cluster.PostgresIncidentLog}). The lines are the same JSON either way; the
 * last line written for a key is that key's state.
 */
public interface IncidentLog {

    /**
     * Replays every line written so far, oldest first, through {@code replay} (which says whether it could read the
     * line); then {@code compacted} gives the state as lines, for a log that rewrites itself.
     */
    void start(Predicate<String> replay, Supplier<List<String>> compacted) throws IOException;

    /** Writes one line for {@code key}; inside {@link #exclusive} when the log is shared. */
    void append(IncidentKey key, String line);

    /** Writes a line for each key, in order; a log that syncs per write may sync once for all of them. */
    default void appendAll(List<Map.Entry<IncidentKey, String>> lines) {
        lines.forEach(line -> append(line.getKey(), line.getValue()));
    }

    /**
     * Runs one change of the state with no other instance changing it meanwhile, after replaying what the others
     * wrote since. A log only this process writes just runs it.
     *
     * @throws StateUnavailableException when the shared log cannot be read or written; nothing of the change was
     *                                   kept, and the caller's memory of the state must be rebuilt
     */
    <T> T exclusive(Supplier<T> change, Predicate<String> replay);

    /** Replays what other instances wrote since the last look; nothing for a log only this process writes. */
    void catchUp(Predicate<String> replay);

    /** Whether other instances write this log too. */
    boolean shared();

    void stop() throws IOException;

    /** Where the log is, for log lines (never a password). */
    String describe();
}
