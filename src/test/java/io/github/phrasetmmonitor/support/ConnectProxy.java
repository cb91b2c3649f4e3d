package io.github.phrasetmmonitor.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy that only tunnels, as JavaMail uses a proxy for SMTP: {@code CONNECT host:port}, then bytes both ways
 * until either side hangs up. Records the targets it was asked for. WireMock's proxy does not tunnel plain SMTP.
 */
public final class ConnectProxy implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public ConnectProxy() throws IOException {
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "connect-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /**
     * The monitor's settings changed so that mail goes through this proxy: Phrase and Slack (stubs on 127.0.0.1) go
     * direct, since this proxy only tunnels, and mail to the SMTP server is addressed as "localhost", which is not a
     * non-proxy host.
     */
    public Map<String, String> carryingMail(Map<String, String> settings) {
        settings.put("proxy.host", "127.0.0.1");
        settings.put("proxy.port", Integer.toString(port()));
        settings.put("proxy.non-proxy-hosts", "127.0.0.1");
        settings.put("alert.email.smtp-host", "localhost");
        return settings;
    }

    /** The {@code host:port} of each CONNECT, in order. */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                Thread tunnel = new Thread(() -> tunnel(client), "connect-proxy-" + client.getPort());
                tunnel.setDaemon(true);
                tunnel.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try {
            String[] request = head(client.getInputStream()).split(" ");
            if (request.length < 2 || !request[0].equals("CONNECT")) {
                answer(client, "HTTP/1.1 405 Method Not Allowed");
                return;
            }
            targets.add(request[1]);
            int colon = request[1].lastIndexOf(':');
            Socket target = new Socket(request[1].substring(0, colon),
                    Integer.parseInt(request[1].substring(colon + 1)));
            open.add(target);
            answer(client, "HTTP/1.1 200 Connection established");
            Thread back = new Thread(() -> pump(target, client), "connect-proxy-back-" + client.getPort());
            back.setDaemon(true);
            back.start();
            pump(client, target);
        } catch (IOException | RuntimeException broken) {
            closeQuietly(client);
        }
    }

    /** The request line; the headers after it are read and dropped, up to the empty line. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        // byte by byte: what follows the empty line is the client's, for the tunnel
        while ((b = in.read()) != -1) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
    }

    private static void answer(Socket client, String statusLine) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write((statusLine + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One direction; when it ends, either side hung up, and the tunnel is closed on both. */
    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException hungUp) {
            // closed below
        }
        closeQuietly(from);
        closeQuietly(to);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // nothing to free
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket tunnelled : open) {
            closeQuietly(tunnelled);
        }
    }
}
