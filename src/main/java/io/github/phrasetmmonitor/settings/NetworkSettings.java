package io.github.phrasetmmonitor.settings;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;

/**
 * How the monitor reaches Phrase, Slack and the SMTP server from a corporate network: a trust store that replaces the
 * JDK's CA list (certificates are always verified; there is no way to turn that off) and an outbound HTTP proxy.
 */
public record NetworkSettings(
        Optional<Path> trustStore,
        String trustStorePassword,
        String trustStoreType,
        Optional<Proxy> proxy) {

    public static NetworkSettings direct() {
        return new NetworkSettings(Optional.empty(), "", "PKCS12", Optional.empty());
    }

    /** An HTTP proxy (CONNECT for TLS); hosts in {@code nonProxyHosts} ({@code *.corp.example} allowed) go direct. */
    public record Proxy(String host, int port, String username, String password, List<String> nonProxyHosts) {

        public Proxy {
            nonProxyHosts = List.copyOf(nonProxyHosts);
        }

        public boolean authenticated() {
            return !username.isEmpty();
        }

        @Override
        public String toString() {
            return "Proxy[" + host + ":" + port + (authenticated() ? ", username=" + username + ", password=****" : "")
                    + ", nonProxyHosts=" + nonProxyHosts + "]";
        }
    }

    @Override
    public String toString() {
        return "NetworkSettings[trustStore=" + trustStore.map(Path::toString).orElse("JDK default") + ", trustStoreType="
                + trustStoreType + ", trustStorePassword=" + (trustStorePassword.isEmpty() ? "" : "****") + ", proxy="
                + proxy.map(Proxy::toString).orElse("none") + "]";
    }

    /** Loads the trust store once at start-up, so a wrong path, type or password is named before the first poll. */
    static void checkTrustStore(Path path, String password, String type) {
        if (!Files.isReadable(path)) {
            throw new InvalidSettingsException("tls.trust-store " + path.toAbsolutePath() + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            if (store.size() == 0) {
                throw new InvalidSettingsException("tls.trust-store " + path.toAbsolutePath()
                        + " holds no certificate");
            }
        } catch (InvalidSettingsException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidSettingsException("tls.trust-store " + path.toAbsolutePath() + " cannot be read as a "
                    + type + " trust store (tls.trust-store-type, tls.trust-store-password): "
                    + e.getClass().getSimpleName());
        }
    }
}
