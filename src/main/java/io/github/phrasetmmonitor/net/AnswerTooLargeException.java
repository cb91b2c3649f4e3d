package io.github.phrasetmmonitor.net;

import io.github.phrasetmmonitor.settings.Sizes;

/**
 * An answer grew past {@code monitor.max-answer-size} while it was being read; reading stopped there. Not an
 * IOException: the same server would send the same answer again, so this is not retried within the round.
 */
public class AnswerTooLargeException extends RuntimeException {

    public AnswerTooLargeException(String what, long limitBytes) {
        super("the answer to " + what + " is larger than monitor.max-answer-size (" + Sizes.describe(limitBytes)
                + "); reading stopped there", null, false, false);
    }
}
