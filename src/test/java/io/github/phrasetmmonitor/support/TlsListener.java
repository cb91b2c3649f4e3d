package io.github.phrasetmmonitor.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on 127.0.0.1 that only counts the handshakes clients start: a client that does not trust its
 * certificate gives up during the handshake, so the HTTP server behind it would never see a request to count.
 */
public final class TlsListener implements AutoCloseable {

    private final SSLServerSocket socket;
    private final AtomicInteger handshakes = new AtomicInteger();

    /** Serves the key and certificate of this PKCS12 store. */
    public TlsListener(Path keyStore, String password) throws Exception {
        socket = (SSLServerSocket) TestCertificates.serverContext(keyStore, password).getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::accept, "tls-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                handshakes.incrementAndGet();
                client.setSoTimeout(5_000);
                ((SSLSocket) client).startHandshake(); // fails: the client does not trust this certificate
            } catch (IOException refusedOrClosed) {
                // the next client, or the listener is closing
            }
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** TLS handshakes clients started. */
    public int handshakes() {
        return handshakes.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
