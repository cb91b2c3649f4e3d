package io.github.phrasetmmonitor.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** A WireMock stand-in for the Phrase TMS API under /web, answering as the spec fragments describe. */
public final class PhraseApiStub implements AutoCloseable {

    public static final String LOGIN = "/web/api2/v1/auth/login";

    private final WireMockServer server;
    private final InFlightProbe inFlight = new InFlightProbe();

    public PhraseApiStub() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(40).extensions(inFlight));
        server.start();
    }

    /** The requests the stub is serving now. */
    public int inFlight() {
        return inFlight.current();
    }

    /** The most requests the stub served at once. */
    public int maxInFlight() {
        return inFlight.max();
    }

    /** When each request to a path matching {@code urlRegex} arrived, in arrival order. */
    public java.util.List<java.time.Instant> arrivals(String urlRegex) {
        return server.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().matches(urlRegex))
                .map(event -> event.getRequest().getLoggedDate().toInstant())
                .sorted()
                .toList();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/web";
    }

    public WireMockServer server() {
        return server;
    }

    public PhraseApiStub loginIssues(String token) {
        server.stubFor(post(urlEqualTo(LOGIN)).willReturn(okJson(
                "{\"user\":{\"userName\":\"ops-bot\",\"role\":\"ADMIN\"},\"token\":\"" + token
                        + "\",\"expires\":\"2099-01-01T00:00:00+0000\"}")));
        return this;
    }

    public PhraseApiStub translationMemory(String uid, String name) {
        server.stubFor(get(urlEqualTo("/web/api2/v1/transMemories/" + uid)).willReturn(okJson(
                "{\"uid\":\"" + uid + "\",\"name\":\"" + name.replace("\"", "\\\"")
                        + "\",\"sourceLang\":\"en\",\"targetLangs\":[\"de\"],\"someFutureField\":1}")));
        return this;
    }

    public PhraseApiStub lastTask(String uid, String json) {
        return lastTask(uid, okJson(json));
    }

    public PhraseApiStub lastTask(String uid, ResponseDefinitionBuilder answer) {
        server.stubFor(lastTaskOf(uid).willReturn(answer));
        return this;
    }

    public static MappingBuilder lastTaskOf(String uid) {
        return get(urlEqualTo("/web/api2/v1/transMemories/" + uid + "/lastBackgroundTask"));
    }

    public static MappingBuilder lastTaskWithToken(String uid, String token) {
        return lastTaskOf(uid).withHeader("Authorization", equalTo("ApiToken " + token));
    }

    public int logins() {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(LOGIN)).build()).getCount();
    }

    public static ResponseDefinitionBuilder status(int status) {
        return aResponse().withStatus(status);
    }

    @Override
    public void close() {
        server.stop();
    }
}
