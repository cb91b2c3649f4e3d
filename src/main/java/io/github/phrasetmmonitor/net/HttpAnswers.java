package io.github.phrasetmmonitor.net;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;

/** An answer camel-http left on an exchange, as the monitor reads it. */
public final class HttpAnswers {

    private HttpAnswers() {
    }

    /**
     * Throws what a call sent with a producer template failed with, as the callers' own code expects it: an
     * IOException for a call that did not get an answer (a timeout, a refused connection, the guard's cut).
     */
    public static void throwFailure(Exchange done) throws IOException {
        Exception failure = done.getException();
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure != null) {
            throw new IOException(failure.getClass().getSimpleName(), failure);
        }
    }

    /** The answer's HTTP status, or -1 when there was none. */
    public static int status(Exchange done) {
        Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? -1 : status;
    }

    /** The body as text, in the charset the answer's Content-Type names (UTF-8 if none); invalid bytes become U+FFFD. */
    public static String text(Exchange exchange) {
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        return bytes == null ? "" : new String(bytes, charsetOf(exchange));
    }

    private static Charset charsetOf(Exchange exchange) {
        String name = exchange.getProperty(Exchange.CHARSET_NAME, String.class);
        if (name != null && !name.isBlank()) {
            try {
                return Charset.forName(name.strip().replace("\"", ""));
            } catch (RuntimeException unknown) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }
}
