package io.github.phrasetmmonitor.net;

import io.github.phrasetmmonitor.settings.NetworkSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;

/**
 * Applies {@link NetworkSettings} to the two ways the monitor goes out: camel-http (Phrase, its IdP and Slack,
 * bounded by {@link HttpGuard}) and JavaMail (SMTP). Certificates and host names are always verified; a
 * custom trust store only changes which CAs are trusted.
 */
public final class OutboundNetwork {

    private final NetworkSettings settings;
    private final SSLContextParameters tls;

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
        } else {
            tls = null;
        }
    }

    /**
     * The guard of every HTTP call: {@code maxAnswerBytes} and a deadline per call ({@code defaultDeadline} unless the
     * exchange sets {@link HttpGuard#DEADLINE}), with the proxy's login sent preemptively when it has one.
     */
    public HttpGuard httpGuard(long maxAnswerBytes, Duration defaultDeadline) {
        return new HttpGuard(maxAnswerBytes, defaultDeadline, settings.proxy()
                .filter(NetworkSettings.Proxy::authenticated)
                .map(proxy -> new HttpGuard.ProxyLogin(proxy.host(), proxy.port(), proxy.username(),
                        proxy.password())));
    }

    /**
     * camel-http's http or https component, at component level so every endpoint of the routes gets it: the guard's
     * bounds, the trust store (https only: camel-http turns http:// URIs into https:// on a component that has one)
     * with a strict host name check, and the proxy with its non-proxy hosts. The proxy is always spoken to in plain
     * HTTP ({@code proxyAuthScheme=http}, CONNECT for https targets); its login is also the component's credentials,
     * for a proxy that asks again after the preemptive one. Never a Proxy-Authorization message header: camel-http
     * would send it inside the tunnel, to the origin server.
     */
    public void configure(HttpComponent http, String scheme, HttpGuard guard) {
        guard.install(http);
        http.setX509HostnameVerifier(new DefaultHostnameVerifier());
        if (tls != null && "https".equals(scheme)) {
            http.setSslContextParameters(tls);
        }
        settings.proxy().ifPresent(proxy -> {
            http.setProxyHost(proxy.host());
            http.setProxyPort(proxy.port());
            http.setProxyAuthScheme("http");
            if (!proxy.nonProxyHosts().isEmpty()) {
                http.setNonProxyHosts(String.join(",", proxy.nonProxyHosts()));
            }
            if (proxy.authenticated()) {
                http.setProxyAuthUsername(proxy.username());
                http.setProxyAuthPassword(proxy.password());
            }
        });
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
