package io.github.phrasetmmonitor.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.settings.NetworkSettings;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundNetworkUnitTest {

    private final NetworkSettings.Proxy proxy = new NetworkSettings.Proxy("proxy.corp", 3128, "svc", "proxy-secret",
            List.of("localhost", "*.corp.example", "10.1.2.3"));

    @Test
    void nonProxyHostsGoDirectAndEverythingElseThroughTheProxy() {
        OutboundNetwork.SelectiveProxy selector = new OutboundNetwork.SelectiveProxy(proxy);

        assertThat(selector.select(URI.create("https://cloud.memsource.com/web"))).singleElement()
                .satisfies(chosen -> assertThat(chosen.type()).isEqualTo(Proxy.Type.HTTP));
        assertThat(selector.select(URI.create("http://localhost:8080/x"))).containsExactly(Proxy.NO_PROXY);
        assertThat(selector.select(URI.create("https://smtp.CORP.example"))).containsExactly(Proxy.NO_PROXY);
        assertThat(selector.select(URI.create("http://10.1.2.3/"))).containsExactly(Proxy.NO_PROXY);
        assertThat(OutboundNetwork.SelectiveProxy.bypasses(proxy, "corp.example.evil.com")).isFalse();
    }

    @Test
    void theProxyPasswordIsNotInToString() {
        assertThat(proxy.toString()).doesNotContain("proxy-secret").contains("svc", "****");
    }
}
