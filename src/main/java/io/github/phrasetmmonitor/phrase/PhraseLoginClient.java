package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.settings.PhraseCredentials;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.net.BoundedHttp;
import io.github.phrasetmmonitor.model.LoginResponseDto;
import io.github.phrasetmmonitor.model.PlatformTokenDto;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs in to Phrase: {@code POST /api2/v1/auth/login} for a user, or the IDM token exchange for a Platform token.
 * Kept out of the Camel routes so passwords and tokens never travel in a Camel message, where tracing, error handlers
 * or a debugger could show them. Each call draws from the shared {@link RequestBudget}.
 */
public final class PhraseLoginClient {

    /** Phrase's documented session lifetime, assumed when a login answer carries no {@code expires}. */
    private static final Duration LOGIN_LIFETIME = Duration.ofHours(24);
    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    private final URI loginUri;
    private final BoundedHttp http;
    private final Duration readTimeout;
    private final String userAgent;
    private final ObjectMapper mapper;
    private final ResponseExcerpt excerpt;
    private final RequestBudget budget;
    private final Clock clock;

    /**
     * @param http        a client with the monitor's connect timeout, trust store, proxy and answer size limit
     * @param readTimeout the most one sign-in may take, answer included
     */
    public PhraseLoginClient(String baseUrl, BoundedHttp http, Duration readTimeout, String userAgent,
                             ObjectMapper mapper, RequestBudget budget, Clock clock) {
        this.loginUri = URI.create(stripTrailingSlash(baseUrl) + "/api2/v1/auth/login");
        this.http = http;
        this.readTimeout = readTimeout;
        this.userAgent = userAgent;
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
        HttpRequest request = HttpRequest.newBuilder(loginUri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        BoundedHttp.Answer response = send(request, "login to Phrase");
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.idmUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        BoundedHttp.Answer response = send(request, "Phrase Platform token exchange");
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

    private BoundedHttp.Answer send(HttpRequest request, String what) {
        try {
            budget.acquire();
            try {
                return http.send(request, readTimeout, what);
            } finally {
                budget.release();
            }
        } catch (IOException e) {
            throw new PhraseApiException(what + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + ResponseExcerpt.oneLine(e.getMessage(), 200)), -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhraseApiException(what + " was interrupted", -1);
        }
    }

    private <T> T read(BoundedHttp.Answer response, Class<T> type, String what) {
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

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
