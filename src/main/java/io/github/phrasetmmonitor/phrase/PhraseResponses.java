package io.github.phrasetmmonitor.phrase;

import org.apache.camel.Exchange;

/**
 * Judges the HTTP status of a Phrase answer for the routes. 2xx passes, and so does 404, which some endpoints use
 * to say "none" (lastBackgroundTask of a TM that never ran a task); anything else stops that call with one line.
 */
public final class PhraseResponses {

    private final ResponseExcerpt excerpt;

    public PhraseResponses(ResponseExcerpt excerpt) {
        this.excerpt = excerpt;
    }

    public void requireAnswered(Exchange exchange) {
        int status = statusOf(exchange);
        if ((status >= 200 && status < 300) || status == 404) {
            return;
        }
        String call = "GET " + exchange.getVariable("phrasePath", String.class);
        String said = excerpt.of(exchange.getMessage().getBody(String.class));
        if (status == 401 || status == 403) {
            throw new PhraseLoginRefusedException(
                    call + " was refused with HTTP " + status + ": " + said, status);
        }
        throw new PhraseApiException(call + " answered HTTP " + status + ": " + said, status);
    }

    public void translationMemoryNotFound(Exchange exchange) {
        String uid = exchange.getVariable("tmUid", String.class);
        throw new PhraseApiException("translation memory " + uid + " does not exist or this user cannot see it"
                + " (HTTP 404 on GET /api2/v1/transMemories/" + uid + ")", 404);
    }

    /** One line for a body that could not be read as the expected JSON document. */
    public String unreadable(Exchange exchange) {
        return "unreadable answer to GET " + exchange.getVariable("phrasePath", String.class)
                + " (HTTP " + statusOf(exchange) + "): " + excerpt.of(exchange.getMessage().getBody(String.class));
    }

    private static int statusOf(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? -1 : status;
    }
}
