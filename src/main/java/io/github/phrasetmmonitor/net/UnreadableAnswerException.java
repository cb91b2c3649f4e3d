package io.github.phrasetmmonitor.net;

/**
 * An answer arrived whole but cannot be decoded (for example a gzip header on a plain body). Not an IOException: a
 * retry gets the same bytes, so this is not retried within the round.
 */
public class UnreadableAnswerException extends RuntimeException {

    public UnreadableAnswerException(String message) {
        super(message, null, false, false);
    }
}
