package io.github.phrasetmmonitor.net;

import io.github.phrasetmmonitor.settings.NetworkSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Applies {@link NetworkSettings} to the two ways the monitor goes out: the JDK HttpClient (Phrase, its IdP and
 * Slack, through {@link BoundedHttp}) and JavaMail (SMTP). Certificates and host names are always verified; a
 * custom trust store only changes which CAs are trusted.
 */
public final class OutboundNetwork {

    private final NetworkSettings settings;
    private final SSLContextParameters tls;
    private final SSLContext sslContext;
    private final ProxySelector proxySelector;

    public OutboundNetwork(NetworkSettings settings, CamelContext context) throws Exception {
        this.settings = settings;
        if (settings.trustStore().isPresent()) {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setCamelContext(context);
            store.setResource("file:" + settings.trustStore().get().toAbsolutePath());
            store.setType(settings.trustStoreType());
            if (!settings.trustStorePassword().isEmpty()) {
                store.setPassword(settings.trustStorePassword());
            }
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setCamelContext(context);
            trust.setKeyStore(store);
            tls = new SSLContextParameters();
            tls.setCamelContext(context);
            tls.setTrustManagers(trust);
            sslContext = tls.createSSLContext(context);
        } else {
            tls = null;
            sslContext = SSLContext.getDefault();
        }
        proxySelector = settings.proxy().<ProxySelector>map(SelectiveProxy::new).orElse(null);
    }

    /**
     * A JDK HttpClient with the trust store and proxy; HTTP/1.1 as Slack and Phrase both speak it. A proxy login is
     * not an Authenticator on the client: with one, the JDK drops every request's own Authorization header (Phrase's
     * session token) and turns a 401 without a challenge into an IOException. The login goes preemptively as a
     * Proxy-Authorization header instead ({@link #proxyAuthorization}), which the JDK also sends on a CONNECT tunnel.
     */
    public HttpClient httpClient(Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext);
        if (proxySelector != null) {
            builder.proxy(proxySelector);
        }
        return builder.build();
    }

    /** The Proxy-Authorization header for a request to {@code target}, when it goes through a proxy with a login. */
    public Optional<String> proxyAuthorization(URI target) {
        return settings.proxy()
                .filter(NetworkSettings.Proxy::authenticated)
                .filter(proxy -> target.getHost() == null || !SelectiveProxy.bypasses(proxy, target.getHost()))
                .map(proxy -> "Basic " + Base64.getEncoder().encodeToString(
                        (proxy.username() + ":" + proxy.password()).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * JavaMail: STARTTLS certificates checked against the trust store and the server's name (JavaMail does not check
     * the name by default), and the proxy unless the SMTP host is a non-proxy host. JavaMail opens its CONNECT tunnel
     * on the socket from {@code mail.smtp.socketFactory}, so the deadline of {@link DeadlineSockets} covers the proxy's
     * part as well.
     */
    public void configure(MailConfiguration mail, String smtpHost) {
        Properties properties = mail.getAdditionalJavaMailProperties();
        properties.put("mail.smtp.ssl.checkserveridentity", "true");
        if (tls != null) {
            mail.setSslContextParameters(tls);
        }
        settings.proxy().filter(proxy -> !SelectiveProxy.bypasses(proxy, smtpHost)).ifPresent(proxy -> {
            properties.put("mail.smtp.proxy.host", proxy.host());
            properties.put("mail.smtp.proxy.port", Integer.toString(proxy.port()));
            if (proxy.authenticated()) {
                properties.put("mail.smtp.proxy.user", proxy.username());
                properties.put("mail.smtp.proxy.password", proxy.password());
            }
        });
    }

    @Override
    public String toString() {
        return "OutboundNetwork[" + settings + "]";
    }

    /** The proxy for every host except the non-proxy hosts, matched like http.nonProxyHosts. */
    static final class SelectiveProxy extends ProxySelector {

        private final NetworkSettings.Proxy proxy;

        SelectiveProxy(NetworkSettings.Proxy proxy) {
            this.proxy = proxy;
        }

        @Override
        public List<Proxy> select(URI uri) {
            if (uri.getHost() != null && bypasses(proxy, uri.getHost())) {
                return List.of(Proxy.NO_PROXY);
            }
            return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.host(), proxy.port())));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException failure) {
            // the caller reports the failure; there is no other proxy to try
        }

        static boolean bypasses(NetworkSettings.Proxy proxy, String host) {
            String name = host.toLowerCase(Locale.ROOT);
            return proxy.nonProxyHosts().stream()
                    .map(pattern -> Pattern.compile(Pattern.quote(pattern.toLowerCase(Locale.ROOT))
                            .replace("*", "\\E.*\\Q")))
                    .anyMatch(pattern -> pattern.matcher(name).matches());
        }
    }
}
