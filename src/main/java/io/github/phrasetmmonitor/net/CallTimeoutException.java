package io.github.phrasetmmonitor.net;

import java.net.SocketTimeoutException;

/**
 * An HTTP call did not complete within its deadline ({@link HttpGuard}), whatever the party did meanwhile: the head,
 * the body or a byte a second. A {@link SocketTimeoutException}, so it is retried and counted like any other timeout.
 */
public final class CallTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    public CallTimeoutException(String message) {
        super(message);
    }
}
