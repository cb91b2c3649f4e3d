package io.github.phrasetmmonitor.phrase;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.model.LoginResponseDto;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api2/v1/auth/login}. Kept out of the Camel routes so the password never travels in a Camel message,
 * where tracing, error handlers or a debugger could show it.
 */
public final class PhraseLoginClient {

    private final URI loginUri;
    private final HttpClient http;
    private final Duration readTimeout;
    private final String userAgent;
    private final ObjectMapper mapper;
    private final ResponseExcerpt excerpt;

    /** @param http a client with the monitor's connect timeout, trust store and proxy (see OutboundNetwork) */
    public PhraseLoginClient(String baseUrl, HttpClient http, Duration readTimeout, String userAgent,
                             ObjectMapper mapper) {
        this.loginUri = URI.create(stripTrailingSlash(baseUrl) + "/api2/v1/auth/login");
        this.http = http;
        this.readTimeout = readTimeout;
        this.userAgent = userAgent;
        this.mapper = mapper;
        this.excerpt = new ResponseExcerpt(mapper);
    }

    public LoginResponseDto login(PhraseCredentials.UserLogin user) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("userName", user.userName());
        body.put("password", user.password());
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(loginUri)
                    .timeout(readTimeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("User-Agent", userAgent)
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)))
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PhraseApiException("login to Phrase failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhraseApiException("login to Phrase was interrupted", -1);
        }
        return readAnswer(user, response.statusCode(), response.body());
    }

    private LoginResponseDto readAnswer(PhraseCredentials.UserLogin user, int status, String body) {
        if (status == 401 || status == 403) {
            throw new PhraseLoginRefusedException("Phrase refused the login of user '" + user.userName()
                    + "' (HTTP " + status + "): " + excerpt.of(body), status);
        }
        if (status < 200 || status >= 300) {
            throw new PhraseApiException("login to Phrase answered HTTP " + status + ": " + excerpt.of(body), status);
        }
        try {
            LoginResponseDto answer = mapper.readValue(body, LoginResponseDto.class);
            if (answer.token() == null || answer.token().isBlank()) {
                throw new PhraseApiException("login to Phrase answered without a token", status);
            }
            return answer;
        } catch (IOException e) {
            throw new PhraseApiException("unreadable login answer (HTTP " + status + "): " + excerpt.of(body), status);
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
