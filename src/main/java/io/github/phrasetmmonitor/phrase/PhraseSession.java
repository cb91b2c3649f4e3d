package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.model.LoginResponseDto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Authorization} header for every Phrase call. A login token lasts 24 hours, so the monitor logs in once,
 * reuses the token, and logs in again shortly before it expires or when Phrase refuses it.
 */
public final class PhraseSession {

    private static final Logger LOG = LoggerFactory.getLogger(PhraseSession.class);
    /** Phrase's documented token lifetime, assumed when a login answer carries no {@code expires}. */
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(24);

    private final PhraseCredentials credentials;
    private final PhraseLoginClient loginClient;
    private final Clock clock;
    private final Duration renewBeforeExpiry;

    private String token;
    private Instant expires;

    public PhraseSession(PhraseCredentials credentials, PhraseLoginClient loginClient, Clock clock,
                         Duration renewBeforeExpiry) {
        this.credentials = credentials;
        this.loginClient = loginClient;
        this.clock = clock;
        this.renewBeforeExpiry = renewBeforeExpiry;
    }

    public synchronized String authorization() {
        if (credentials instanceof PhraseCredentials.ApiToken apiToken) {
            return "ApiToken " + apiToken.token();
        }
        if (token == null || !clock.instant().isBefore(expires.minus(renewBeforeExpiry))) {
            logIn((PhraseCredentials.UserLogin) credentials);
        }
        return "ApiToken " + token;
    }

    /**
     * Phrase answered 401 to a call made with {@code rejectedAuthorization}. Only that token is dropped: when several
     * calls fail at once with the same token, the first drops it and the others reuse the fresh login.
     */
    public synchronized void tokenRejected(String rejectedAuthorization) {
        if (token != null && ("ApiToken " + token).equals(rejectedAuthorization)) {
            LOG.info("Phrase refused the session token; logging in again");
            token = null;
        }
    }

    private void logIn(PhraseCredentials.UserLogin user) {
        LoginResponseDto answer = loginClient.login(user);
        token = answer.token();
        expires = answer.expires() != null ? answer.expires().toInstant() : clock.instant().plus(TOKEN_LIFETIME);
        LOG.info("Logged in to Phrase as '{}'; session valid until {}", user.userName(), expires);
    }
}
