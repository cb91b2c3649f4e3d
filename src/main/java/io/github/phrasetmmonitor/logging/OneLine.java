package io.github.phrasetmmonitor.logging;

import org.apache.camel.Exchange;

/**
 * The caught exception's message as one log line. Servers put line breaks in what they say (an SMTP server's
 * refusal ends with one); folded here, no answer from outside can split a warning or forge a log line.
 */
public final class OneLine {

    static final int MAX_CHARACTERS = 400;

    public String exception(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught == null) {
            caught = exchange.getException();
        }
        if (caught == null) {
            return "";
        }
        String message = caught.getMessage() == null ? caught.getClass().getSimpleName() : caught.getMessage();
        return fold(message);
    }

    public static String fold(String text) {
        String folded = text.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]+", " ").replaceAll(" {2,}", " ").strip();
        return folded.length() <= MAX_CHARACTERS ? folded : folded.substring(0, MAX_CHARACTERS) + "…";
    }
}
