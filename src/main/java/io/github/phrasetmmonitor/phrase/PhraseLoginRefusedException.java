package io.github.phrasetmmonitor.phrase;

/** Phrase refused the credentials themselves (401 or 403 on login, or on every call with an API token). */
public class PhraseLoginRefusedException extends PhraseApiException {

    public PhraseLoginRefusedException(String message, int httpStatus) {
        super(message, httpStatus);
    }
}
