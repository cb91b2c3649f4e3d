package io.github.phrasetmmonitor.net;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;

/** An answer camel-http left on an exchange, as the monitor reads it. */
public final class HttpAnswers {

    private HttpAnswers() {
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
