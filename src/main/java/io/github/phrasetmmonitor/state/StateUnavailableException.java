package io.github.phrasetmmonitor.state;

/** The shared incident state (cluster mode) could not be read or written: the change it was for did not happen. */
public final class StateUnavailableException extends RuntimeException {

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
