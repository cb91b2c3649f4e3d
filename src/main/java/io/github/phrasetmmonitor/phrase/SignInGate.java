package io.github.phrasetmmonitor.phrase;

import org.apache.camel.Exchange;

/**
 * What the Phrase client tells the polling round about the credentials, and asks it before each call. The round
 * (poll.CredentialsGate) decides from this whether the rest of the round may call Phrase; the client only reports,
 * so it does not depend on how rounds are run.
 */
public interface SignInGate {

    /** Before every call: throws {@link RoundStoppedException} when Phrase refused the credentials this round. */
    void beforeCall(Exchange exchange);

    /** A sign-in (login or Platform token exchange) succeeded for this round. */
    void signedIn(Exchange exchange);

    /** Whether this round signed in: a call refused with that session is refused with fresh credentials. */
    boolean signedInThisRound(Exchange exchange);

    /** Phrase answered a call (2xx, or 404 for a missing TM): it takes the credentials. */
    void accepted(Exchange exchange);

    /** Phrase answered otherwise (5xx, 429) or not at all: nothing learnt about the credentials. */
    void noVerdict(Exchange exchange);

    /** Phrase refused the credentials. */
    void refused(Exchange exchange);
}
