package io.github.phrasetmmonitor.alert;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.slack.api.model.Message;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Posts a message to a Slack incoming webhook and fails unless Slack answered 2xx.
 *
 * <p>Why not camel-slack's webhook producer: in Camel 4.18 it signals completion before it records a non-2xx answer
 * (SlackProducer.sendMessageByWebhookURL calls the callback, then sets the exception), so an alert Slack refused is
 * seen as delivered and recorded as sent. The message model is still Slack's own (slack-api-model).
 *
 * <p>The webhook URL is a secret: it appears in no exception, log line or toString.
 */
public final class SlackWebhook {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final URI webhook;
    private final HttpClient http;
    private final Duration timeout;

    /** @param http a client with the trust store and proxy (see OutboundNetwork); timeout bounds each post */
    public SlackWebhook(String webhookUrl, HttpClient http, Duration timeout) {
        this.webhook = URI.create(webhookUrl);
        this.timeout = timeout;
        this.http = http;
    }

    public void post(Message message) {
        HttpRequest request = HttpRequest.newBuilder(webhook)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(message), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AlertDeliveryException("Slack webhook unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertDeliveryException("Slack delivery interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            String said = response.body() == null ? "" : response.body().strip();
            throw new AlertDeliveryException("Slack answered HTTP " + response.statusCode()
                    + (said.isEmpty() ? "" : ": " + (said.length() > 120 ? said.substring(0, 120) + "…" : said)));
        }
    }

    @Override
    public String toString() {
        return "SlackWebhook[****]";
    }
}
