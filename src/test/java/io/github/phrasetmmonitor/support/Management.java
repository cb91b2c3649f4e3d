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

    /**
     * HTTP/1.1, as Prometheus and the kubelet's probes ask: the JDK client's default h2c upgrade on a fresh
     * connection left a request to the management server unanswered now and then (seen in ReloadTest).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Management() {
    }

    /**
     * The sum of the series on /observe/metrics whose line starts with {@code prefix}, e.g. every kind of
     * {@code phrase_monitor_alerts_failed_total{channel="email"}}: the series exist from start-up at 0, so whether
     * something was counted is told by the value, not by the line.
     */
    public static double total(String managementUrl, String prefix) {
        return get(managementUrl + "/metrics").body().lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
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
