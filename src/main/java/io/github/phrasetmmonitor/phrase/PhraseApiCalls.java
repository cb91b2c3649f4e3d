package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.net.CallTimeoutException;
import io.github.phrasetmmonitor.net.HttpAnswers;
import io.github.phrasetmmonitor.net.HttpGuard;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps around each camel-http call to Phrase in routes/engine/phrase-api.camel.yaml. Before it: the call's deadline,
 * {@code phrase.read-timeout} or what is left of the TM's {@code phrase.check-timeout}, whichever comes first, which
 * {@link HttpGuard} enforces from the request to the answer's last byte. After it: the answer as text.
 */
public final class PhraseApiCalls {

    private final Duration callTimeout;

    /** @param callTimeout the most one call may take, answer included ({@code phrase.read-timeout}) */
    public PhraseApiCalls(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    /** Before a GET of the route phrase-request: its deadline and its name in errors. */
    public void bound(Exchange exchange) throws CallTimeoutException {
        String call = "GET " + exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        Duration deadline = CheckDeadline.of(exchange).cap(callTimeout);
        if (deadline.isZero()) {
            throw new CallTimeoutException(call + " not sent: this TM's phrase.check-timeout has passed");
        }
        exchange.setProperty(HttpGuard.DEADLINE, deadline);
        exchange.setProperty(HttpGuard.CALL, call);
    }

    /** Before a sign-in: {@code phrase.read-timeout} for the whole call. */
    public void boundSignIn(Exchange exchange, String call) {
        exchange.setProperty(HttpGuard.DEADLINE, callTimeout);
        exchange.setProperty(HttpGuard.CALL, call);
    }

    /** After the call: the body as text, in the charset the answer names (UTF-8 if none); no body is "". */
    public void answered(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setBody(HttpAnswers.text(exchange));
    }
}
