package io.github.phrasetmmonitor.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A failure and what caused it, outermost first, each cause once. Java refuses only a throwable that causes
 * itself; a longer loop (A caused by B caused by A) is possible, and walking it with a plain getCause() loop would
 * hold a polling thread forever, and with it the round, so that the monitor would quietly stop polling.
 */
public final class Causes {

    /** Far more than any real chain; a longer one is cut here. */
    static final int MAX_DEPTH = 20;

    private Causes() {
    }

    public static List<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < MAX_DEPTH && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The outermost cause of this type, if any. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        return of(failure).stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
