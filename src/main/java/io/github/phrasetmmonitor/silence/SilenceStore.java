package io.github.phrasetmmonitor.silence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the ad-hoc silences are kept: a file in monitor.state-dir for one process ({@link SilenceJournal}), the
 * cluster database for a cluster. Written by the operator command, read by every running monitor.
 */
public interface SilenceStore {

    /** Every silence kept, expired ones included, oldest first. */
    List<Silence> all();

    void add(Silence silence);

    /** Ends the silence {@code id} at {@code at}; the silence as it is now, or empty when there is none by that id. */
    Optional<Silence> expire(String id, Instant at);

    /** Where it is, for messages. */
    String describe();

    /** No ad-hoc silences (the tools' dry runs). */
    SilenceStore NONE = new SilenceStore() {
        @Override
        public List<Silence> all() {
            return List.of();
        }

        @Override
        public void add(Silence silence) {
            throw new UnsupportedOperationException("no silence store");
        }

        @Override
        public Optional<Silence> expire(String id, Instant at) {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "none";
        }
    };
}
