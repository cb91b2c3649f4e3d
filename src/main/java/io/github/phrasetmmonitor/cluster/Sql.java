package io.github.phrasetmmonitor.cluster;

import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.logging.OneLine;
import java.util.List;

/** What went wrong with the database, in one line: the deepest cause's message, which names the real reason. */
final class Sql {

    private Sql() {
    }

    static String reason(Throwable failure) {
        List<Throwable> causes = Causes.of(failure);
        Throwable root = causes.get(causes.size() - 1);
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return OneLine.fold(message);
    }
}
