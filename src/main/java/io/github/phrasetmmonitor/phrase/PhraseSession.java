package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.settings.PhraseCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Authorization} header for every Phrase call. An API token is sent as is. A user login (24 hours) or a
 * Platform access token (about 4 hours) is obtained once, reused, and renewed shortly before it expires or when
 * Phrase refuses it.
 *
 * <p>A round signs in at most once: when Phrase refuses the sign-in, or a call made with the session signed in this
 * round, the round's {@link SignInGate} stops the round, and the next attempt waits for a later one.
 */
public final class PhraseSession {

    private static final Logger LOG = LoggerFactory.getLogger(PhraseSession.class);

    private final PhraseCredentials credentials;
    private final PhraseLoginClient loginClient;
    private final Clock clock;
    private final Duration renewBeforeExpiry;
    private final SignInGate gate;

    private SessionToken current;
    private Instant renewAt;

    public PhraseSession(PhraseCredentials credentials, PhraseLoginClient loginClient, Clock clock,
                         Duration renewBeforeExpiry, SignInGate gate) {
        this.credentials = credentials;
        this.loginClient = loginClient;
        this.clock = clock;
        this.renewBeforeExpiry = renewBeforeExpiry;
        this.gate = gate;
    }

    /**
     * Route phrase-request's step: sets the Authorization header for the next call. A bean step rather than a
     * {@code setHeader} with a method expression, which Camel evaluates on a copy of the whole exchange.
     */
    public void sign(Message request) {
        request.setHeader("Authorization", authorization(request.getExchange()));
    }

    /**
     * Signs in when due. Calls that need a sign-in at the same time wait for the one under way and take its result:
     * its session, or, when Phrase refused it, the end of the round ({@code RoundStoppedException}).
     */
    synchronized String authorization(Exchange exchange) {
        gate.beforeCall(exchange);
        if (credentials instanceof PhraseCredentials.ApiToken apiToken) {
            return "ApiToken " + apiToken.token();
        }
        if (current == null || !clock.instant().isBefore(renewAt)) {
            try {
                current = loginClient.signIn(credentials);
            } catch (PhraseLoginRefusedException refused) {
                gate.refused(exchange);
                throw refused;
            }
            gate.signedIn(exchange);
            renewAt = renewalTime(current.expires());
            LOG.info("Signed in to Phrase with {}; session valid until {}", credentials.describe(), current.expires());
        }
        return current.authorization();
    }

    /**
     * Phrase answered 401 to a call made with {@code rejectedAuthorization}. Only that token is dropped: when several
     * calls fail at once with the same token, the first drops it and the others reuse the fresh sign-in.
     *
     * @return true when a new sign-in may help, so the call is worth trying again; false for an API token, which
     *         cannot be renewed, and for a session signed in this round: Phrase refuses the credentials themselves
     */
    public synchronized boolean tokenRejected(String rejectedAuthorization, Exchange exchange) {
        if (credentials instanceof PhraseCredentials.ApiToken) {
            return false;
        }
        if (current != null && current.authorization().equals(rejectedAuthorization)) {
            current = null;
            if (gate.signedInThisRound(exchange)) {
                return false;
            }
            LOG.info("Phrase refused the session token; signing in again");
        }
        return true;
    }

    /** Renew {@code renewBeforeExpiry} early, but not before half of a short-lived token's life has passed. */
    private Instant renewalTime(Instant expires) {
        Duration halfLife = Duration.between(clock.instant(), expires).dividedBy(2);
        Duration margin = renewBeforeExpiry.compareTo(halfLife) > 0 ? halfLife : renewBeforeExpiry;
        return expires.minus(margin.isNegative() ? Duration.ZERO : margin);
    }
}
