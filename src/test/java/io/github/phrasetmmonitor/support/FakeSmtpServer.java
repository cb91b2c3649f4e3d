package io.github.phrasetmmonitor.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An SMTP server that misbehaves: refuses every session (554), or accepts connections and never says a word. */
public final class FakeSmtpServer implements AutoCloseable {

    public enum Behaviour { REFUSING, SILENT }

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

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
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
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
