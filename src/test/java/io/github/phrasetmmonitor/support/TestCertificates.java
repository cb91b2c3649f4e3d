package io.github.phrasetmmonitor.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Self-signed certificates made with the JDK's keytool, for TLS tests on 127.0.0.1. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /**
     * A PKCS12 store holding a key and a self-signed certificate for localhost and 127.0.0.1: a server's key store,
     * and (its certificate being the only entry) a trust store that trusts that server and nothing else.
     */
    public static Path selfSigned(Path store, String password) throws IOException, InterruptedException {
        return selfSigned(store, password, "dns:localhost,ip:127.0.0.1");
    }

    /** As {@link #selfSigned(Path, String)}, for the names in {@code subjectAlternativeNames} (keytool's SAN). */
    public static Path selfSigned(Path store, String password, String subjectAlternativeNames)
            throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "phrase-stub",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                "-ext", "SAN=" + subjectAlternativeNames, "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        return store;
    }

    /** A server's TLS context with the key and certificate of this PKCS12 store. */
    public static SSLContext serverContext(Path store, String password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password.toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        return tls;
    }
}
