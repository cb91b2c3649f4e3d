package io.github.phrasetmmonitor.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server that misbehaves: refuses every session (554), accepts connections and never says a word, or
 * trickles its greeting one byte a second, forever, so that no single read ever waits long. For the trickle it
 * records how long each connection lasted until the client hung up.
 */
public final class FakeSmtpServer implements AutoCloseable {

    public enum Behaviour { REFUSING, SILENT, TRICKLING }

    /** Sent one byte a second, over and over; no line end, so the greeting never ends. */
    private static final byte[] ENDLESS_GREETING = "220 slow.example ESMTP at your service, any moment now, "
            .getBytes(StandardCharsets.US_ASCII);
    private static final int TRICKLE_INTERVAL_MILLIS = 1_000;

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Duration> cuts = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closing;

    public FakeSmtpServer(int port, Behaviour behaviour) throws IOException {
        this.socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.behaviour = behaviour;
        this.acceptor = new Thread(this::accept, "fake-smtp-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                clients.add(client);
                if (behaviour == Behaviour.REFUSING) {
                    OutputStream out = client.getOutputStream();
                    out.write("554 5.3.2 no mail accepted here\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // the client hangs up on a 554; closing first here would hold the port in TIME_WAIT
                } else if (behaviour == Behaviour.TRICKLING) {
                    Thread trickle = new Thread(() -> trickle(client, System.nanoTime()),
                            "fake-smtp-trickle-" + client.getPort());
                    trickle.setDaemon(true);
                    trickle.start();
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * A byte a second until the client hangs up. Waiting for the client's next byte is the pause, so a hang-up is
     * seen the moment it happens; the client never sends anything before the greeting ends.
     */
    private void trickle(Socket client, long acceptedAt) {
        try {
            client.setSoTimeout(TRICKLE_INTERVAL_MILLIS);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            for (long sent = 0; ; sent++) {
                out.write(ENDLESS_GREETING[(int) (sent % ENDLESS_GREETING.length)]);
                out.flush();
                try {
                    if (in.read() == -1) {
                        break;
                    }
                } catch (SocketTimeoutException nothingYet) {
                    // a second has passed: the next byte
                }
            }
        } catch (IOException hungUp) {
            // reset by the client: a hang-up too, unless this server is the one closing
        }
        if (!closing) {
            cuts.add(Duration.ofNanos(System.nanoTime() - acceptedAt));
            try {
                // the client closed first, so closing here leaves no TIME_WAIT on this server's port
                client.close();
            } catch (IOException alreadyGone) {
                // nothing to free
            }
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    /** TRICKLING: for each connection the client closed, how long it lasted from accept to the hang-up. */
    public List<Duration> cuts() {
        return List.copyOf(cuts);
    }

    @Override
    public void close() throws IOException {
        closing = true;
        socket.close();
        try {
            // a client accepted just before the close is in the list only once the acceptor has ended
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket client : clients) {
            if (!client.isClosed()) {
                // reset rather than close: a closed side would keep the port in TIME_WAIT, and the test binds a
                // working server to the same port right after
                client.setSoLinger(true, 0);
            }
            client.close();
        }
    }
}
