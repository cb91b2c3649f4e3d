package io.github.phrasetmmonitor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads the monitor's management server as a probe or Prometheus would. */
public final class Management {

    public record Answer(int status, String body) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Management() {
    }

    /** The first line of /observe/metrics starting with {@code prefix}, or "" when there is none yet. */
    public static String metric(String managementUrl, String prefix) {
        return get(managementUrl + "/metrics").body().lines().filter(line -> line.startsWith(prefix))
                .findFirst().orElse("");
    }

    /** @param url e.g. {@code http://127.0.0.1:9876/observe/health/ready} */
    public static Answer get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
