package io.github.phrasetmmonitor.net;

import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket of {@link DeadlineSockets} ran out of time: the peer did not finish within the limit, whatever it did in
 * the meantime. A {@link SocketTimeoutException}, so that whoever handles timeouts handles this one too.
 */
public final class DeadlineExceededException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    private final Duration limit;

    public DeadlineExceededException(Duration limit, Throwable cause) {
        super("not finished within " + text(limit));
        this.limit = limit;
        if (cause != null) {
            initCause(cause);
        }
    }

    public Duration limit() {
        return limit;
    }

    /** The limit as the settings write it: 2s, 1500ms. */
    public static String text(Duration limit) {
        long millis = limit.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
