package io.github.phrasetmmonitor.logging;

import io.github.phrasetmmonitor.text.SafeText;
import org.apache.camel.Exchange;

/**
 * The caught exception's message as one log line. Servers put line breaks in what they say (an SMTP server's
 * refusal ends with one); folded here by {@link SafeText}, no answer from outside can split a warning, forge a log
 * line or reorder it with bidi controls.
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

    /** At most {@link #MAX_CHARACTERS} characters of the message, then "…". */
    public static String fold(String text) {
        return SafeText.line(text, MAX_CHARACTERS + 1);
    }
}
