package io.github.phrasetmmonitor.phrase;

/**
 * A TM's check ends without a call because its round stopped: Phrase refused the credentials earlier in the round
 * ({@link SignInGate}). Not a failure of that TM: it is neither logged as one nor counted for health, metrics or
 * the monitor's problems; the refusal itself was.
 */
public class RoundStoppedException extends RuntimeException {

    public RoundStoppedException(String message) {
        super(message, null, false, false);
    }
}
