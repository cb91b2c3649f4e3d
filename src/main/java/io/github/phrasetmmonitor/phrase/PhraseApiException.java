package io.github.phrasetmmonitor.phrase;

/**
 * Phrase answered a call with something the monitor cannot use. The message is one line meant for ops: which call,
 * the HTTP status, and what Phrase said (its errorCode and errorDescription, or the first characters of the body).
 */
public class PhraseApiException extends RuntimeException {

    private final int httpStatus;

    public PhraseApiException(String message, int httpStatus) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
    }

    /** Keeps what went wrong underneath (a timeout, a refused connection) for the poll-error metrics; no stack. */
    public PhraseApiException(String message, int httpStatus, Throwable cause) {
        super(message, cause, false, false);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
