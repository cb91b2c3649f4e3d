package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.settings.PhraseCredentials;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.model.LoginResponseDto;
import io.github.phrasetmmonitor.net.HttpAnswers;
import io.github.phrasetmmonitor.model.PlatformTokenDto;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Signs in to Phrase: {@code POST /api2/v1/auth/login} for a user, or the IDM token exchange for a Platform token,
 * through the camel-http endpoints of routes phrase-login and phrase-token-exchange. The password or token travels
 * only in the request's body, never in a URI, a header or a log line; the answer's token only in this class. Each
 * call draws from the shared {@link RequestBudget}.
 */
public final class PhraseLoginClient {

    /** Phrase's documented session lifetime, assumed when a login answer carries no {@code expires}. */
    private static final Duration LOGIN_LIFETIME = Duration.ofHours(24);
    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    private final ProducerTemplate http;
    private final PhraseApiCalls calls;
    private final ObjectMapper mapper;
    private final ResponseExcerpt excerpt;
    private final RequestBudget budget;
    private final Clock clock;

    /**
     * @param http  sends to the sign-in routes
     * @param calls bounds each sign-in by phrase.read-timeout, answer included
     */
    public PhraseLoginClient(ProducerTemplate http, PhraseApiCalls calls, ObjectMapper mapper, RequestBudget budget,
                             Clock clock) {
        this.http = http;
        this.calls = calls;
        this.mapper = mapper;
        this.excerpt = new ResponseExcerpt(mapper);
        this.budget = budget;
        this.clock = clock;
    }

    SessionToken signIn(PhraseCredentials credentials) {
        if (credentials instanceof PhraseCredentials.UserLogin user) {
            LoginResponseDto answer = login(user);
            return new SessionToken("ApiToken " + answer.token(),
                    answer.expires() != null ? answer.expires().toInstant() : clock.instant().plus(LOGIN_LIFETIME));
        }
        if (credentials instanceof PhraseCredentials.PlatformToken platform) {
            PlatformTokenDto answer = exchange(platform);
            long seconds = answer.expiresIn() == null || answer.expiresIn() <= 0 ? 3600 : answer.expiresIn();
            return new SessionToken("Bearer " + answer.accessToken(), clock.instant().plusSeconds(seconds));
        }
        throw new IllegalArgumentException("credentials that need no sign-in: " + credentials);
    }

    public LoginResponseDto login(PhraseCredentials.UserLogin user) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("userName", user.userName());
        body.put("password", user.password());
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        Answer response = send("direct:phrase-login", json, "application/json", "login to Phrase");
        int status = response.status();
        if (status == 401 || status == 403) {
            throw new PhraseLoginRefusedException("Phrase refused the login of user '" + user.userName()
                    + "' (HTTP " + status + "): " + excerpt.of(response.body()), status);
        }
        LoginResponseDto answer = read(response, LoginResponseDto.class, "login to Phrase");
        if (answer.token() == null || answer.token().isBlank()) {
            throw new PhraseApiException("login to Phrase answered without a token", status);
        }
        return answer;
    }

    PlatformTokenDto exchange(PhraseCredentials.PlatformToken platform) {
        String form = "grant_type=" + URLEncoder.encode(TOKEN_EXCHANGE, StandardCharsets.UTF_8)
                + "&subject_token=" + URLEncoder.encode(platform.token(), StandardCharsets.UTF_8);
        Answer response = send("direct:phrase-token-exchange", form, "application/x-www-form-urlencoded",
                "Phrase Platform token exchange");
        int status = response.status();
        if (status == 400 || status == 401 || status == 403) {
            throw new PhraseLoginRefusedException("Phrase IDM refused the Platform token (HTTP " + status + "): "
                    + excerpt.of(response.body()), status);
        }
        PlatformTokenDto answer = read(response, PlatformTokenDto.class, "Phrase Platform token exchange");
        if (answer.accessToken() == null || answer.accessToken().isBlank()) {
            throw new PhraseApiException("Phrase Platform token exchange answered without an access_token", status);
        }
        return answer;
    }

    /** An answer as the sign-in routes left it: the status and the body as text. */
    private record Answer(int status, String body) {
    }

    private Answer send(String route, String body, String contentType, String what) {
        try {
            budget.acquire();
            Exchange done;
            try {
                done = http.send(route, exchange -> {
                    exchange.getMessage().setBody(body);
                    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
                    exchange.getMessage().setHeader("Accept", "application/json");
                    calls.boundSignIn(exchange, what);
                });
            } finally {
                budget.release();
            }
            HttpAnswers.throwFailure(done);
            return new Answer(HttpAnswers.status(done), HttpAnswers.text(done));
        } catch (IOException e) {
            throw new PhraseApiException(what + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + ResponseExcerpt.oneLine(e.getMessage(), 200)), -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhraseApiException(what + " was interrupted", -1);
        }
    }

    private <T> T read(Answer response, Class<T> type, String what) {
        int status = response.status();
        if (status < 200 || status >= 300) {
            throw new PhraseApiException(what + " answered HTTP " + status + ": " + excerpt.of(response.body()), status);
        }
        try {
            return mapper.readValue(response.body(), type);
        } catch (IOException e) {
            throw new PhraseApiException("unreadable answer to " + what + " (HTTP " + status + "): "
                    + excerpt.of(response.body()), status);
        }
    }
}
