package io.github.phrasetmmonitor.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.settings.NetworkSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The proxy's login goes with the first request, as OutboundNetwork sets up camel-http: for an https endpoint the
 * very first CONNECT carries Proxy-Authorization (a proxy that drops the connection instead of answering 407 would
 * otherwise never be passed), spoken to in plain HTTP (proxyAuthScheme http); and the login is never a message
 * header, which camel-http would send inside the tunnel to the origin server.
 */
class ProxyLoginUnitTest {

    @Test
    void theFirstConnectCarriesTheProxyLogin() throws Exception {
        try (ServerSocket proxy = new ServerSocket(0)) {
            CompletableFuture<String> firstHead = CompletableFuture.supplyAsync(() -> {
                try (Socket client = proxy.accept()) {
                    String head = readHead(client.getInputStream());
                    OutputStream out = client.getOutputStream();
                    // no 407 challenge: a proxy that just refuses
                    out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return head;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            NetworkSettings settings = new NetworkSettings(Optional.empty(), "", "PKCS12", Optional.of(
                    new NetworkSettings.Proxy("127.0.0.1", proxy.getLocalPort(), "svc", "proxy-secret", List.of())));
            CamelContext context = new DefaultCamelContext();
            OutboundNetwork network = new OutboundNetwork(settings, context);
            HttpGuard guard = network.httpGuard(1 << 20, Duration.ofSeconds(10));
            network.configure(context.getComponent("https", HttpComponent.class), "https", guard);
            context.start();
            try {
                Exchange done = context.createProducerTemplate().send(
                        "https://phrase.example.invalid/web?httpMethod=GET&throwExceptionOnFailure=false",
                        exchange -> exchange.getMessage().setHeader("Authorization", "ApiToken origin-only"));
                assertThat(done.getException()).isNull();
                assertThat(done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))
                        .as("the proxy's refusal of the tunnel is the answer").isEqualTo(403);
                String head = firstHead.get(10, TimeUnit.SECONDS);
                assertThat(head).startsWith("CONNECT phrase.example.invalid:443 HTTP/1.1")
                        .contains("Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString(
                                "svc:proxy-secret".getBytes(StandardCharsets.UTF_8)))
                        .as("the origin's own header stays inside the tunnel").doesNotContain("origin-only");
            } finally {
                context.stop();
                guard.stop();
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int previous = 0;
        int current;
        int newlines = 0;
        while ((current = in.read()) >= 0) {
            head.write(current);
            if (current == '\n') {
                newlines = previous == '\r' || previous == '\n' ? newlines + 1 : 1;
                if (newlines == 2) {
                    break;
                }
            } else if (current != '\r') {
                newlines = 0;
            }
            previous = current;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
