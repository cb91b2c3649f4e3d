package io.github.phrasetmmonitor.net;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.apache.camel.Service;

/**
 * Sockets with a deadline for the whole conversation, not only for each silent gap in it. Timeouts per connect, read
 * and write (all JavaMail has) never trip on a server that trickles its greeting a byte a second, or keeps a reply
 * going forever; such a server would hold the thread that sends alerts, and with it the polling round, as long as it
 * likes.
 *
 * <p>A socket made here gives up {@code limit} after it was created. A read waits at most until then (its
 * {@code SO_TIMEOUT} is the time left, or the caller's own timeout when that is shorter). At the deadline the socket
 * is closed: that also ends a connect, a write or a TLS handshake that is stuck, and shows the server the cut.
 * Whatever fails once the deadline has passed fails as {@link DeadlineExceededException}.
 *
 * <p>Given to JavaMail as {@code mail.smtp.socketFactory}, Angus Mail's {@code SocketFetcher} takes the unconnected
 * socket from {@link #createSocket()} and connects it itself: to the server, or to the proxy for its HTTP CONNECT,
 * so the proxy's part counts too. STARTTLS layers the TLS socket over this one, and TLS reads and writes through
 * this socket's streams. camel-mail connects, sends and closes for each message, so the deadline is per message.
 */
public final class DeadlineSockets extends SocketFactory implements Service {

    private final Duration limit;
    private final ScheduledExecutorService closer;
    private final Set<DeadlineSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** {@code closer} closes each socket at its deadline; one thread is plenty. */
    public DeadlineSockets(Duration limit, ScheduledExecutorService closer) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the limit must be positive: " + limit);
        }
        this.limit = limit;
        this.closer = closer;
    }

    @Override
    public void start() {
        stopped = false;
    }

    /**
     * When the monitor stops, after Camel's graceful shutdown: closes the sockets still open, so that an SMTP server
     * that hangs cannot hold the process past camel.main.shutdown-timeout, and makes no new ones.
     */
    @Override
    public void stop() {
        stopped = true;
        open.forEach(DeadlineSocket::closeQuietly);
    }

    @Override
    public Socket createSocket() throws IOException {
        if (stopped) {
            throw new SocketException("no new connections: the monitor is stopping");
        }
        DeadlineSocket socket = new DeadlineSocket(limit, open);
        try {
            socket.closing = closer.schedule(socket::closeQuietly, limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            socket.close();
            throw new SocketException("no new connections: the deadline timer has stopped (the monitor is stopping)");
        }
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(createSocket(), host, port, null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(createSocket(), host, port, new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(createSocket(), host.getHostAddress(), port, null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(createSocket(), address.getHostAddress(), port,
                new InetSocketAddress(localAddress, localPort));
    }

    /** The socket is made first, so that looking the host up counts against the deadline too. */
    private static Socket connected(Socket socket, String host, int port, SocketAddress local) throws IOException {
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "DeadlineSockets[" + DeadlineExceededException.text(limit) + "]";
    }

    private static final class DeadlineSocket extends Socket {

        private final Duration limit;
        /** On the {@link System#nanoTime()} scale, which the wall clock's jumps do not move. */
        private final long deadline;
        /** What the caller asked for with setSoTimeout; 0 = no limit of its own. */
        private volatile int askedReadTimeout;
        private volatile Future<?> closing;
        /** The factory's sockets not closed yet. */
        private final Set<DeadlineSocket> open;

        DeadlineSocket(Duration limit, Set<DeadlineSocket> open) {
            this.limit = limit;
            this.deadline = System.nanoTime() + limit.toNanos();
            this.open = open;
            open.add(this);
        }

        /** Whole milliseconds left, rounded up: a wait of this long ends after the deadline, never just before. */
        private long millisLeft() {
            long nanos = deadline - System.nanoTime();
            return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
        }

        private boolean expired() {
            return deadline - System.nanoTime() <= 0;
        }

        private DeadlineExceededException exceeded(IOException cause) {
            return new DeadlineExceededException(limit, cause);
        }

        /** Past the deadline, whatever failed failed because of it: the closer closed the socket under it. */
        private IOException explained(IOException failure) {
            return expired() && !(failure instanceof DeadlineExceededException) ? exceeded(failure) : failure;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            long left = millisLeft();
            if (left == 0) {
                throw exceeded(null);
            }
            boolean deadlineFirst = timeout == 0 || left <= timeout;
            try {
                super.connect(endpoint, deadlineFirst ? (int) Math.min(left, Integer.MAX_VALUE) : timeout);
            } catch (SocketTimeoutException timedOut) {
                throw deadlineFirst ? exceeded(timedOut) : timedOut;
            } catch (IOException failed) {
                throw explained(failed);
            }
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            super.setSoTimeout(timeout);
            askedReadTimeout = timeout;
        }

        @Override
        public int getSoTimeout() throws SocketException {
            if (isClosed()) {
                throw new SocketException("Socket is closed");
            }
            return askedReadTimeout;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new DeadlineInput(super.getInputStream());
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return new DeadlineOutput(super.getOutputStream());
        }

        @Override
        public void close() throws IOException {
            open.remove(this);
            Future<?> pending = closing;
            if (pending != null) {
                pending.cancel(false);
            }
            super.close();
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException alreadyBroken) {
                // closed either way; the thread using the socket reports the failure
            }
        }

        @FunctionalInterface
        private interface Blocking {
            long call() throws IOException;
        }

        /** One blocking read, waiting no longer than the deadline. */
        private long read(Blocking read) throws IOException {
            long left = millisLeft();
            if (left == 0) {
                throw exceeded(null);
            }
            int asked = askedReadTimeout;
            boolean deadlineFirst = asked == 0 || left <= asked;
            try {
                super.setSoTimeout(deadlineFirst ? (int) Math.min(left, Integer.MAX_VALUE) : asked);
                return read.call();
            } catch (SocketTimeoutException timedOut) {
                throw deadlineFirst ? exceeded(timedOut) : timedOut;
            } catch (IOException failed) {
                throw explained(failed);
            }
        }

        /** One write; if it blocks past the deadline, the closer ends it. */
        private void write(Blocking write) throws IOException {
            if (expired()) {
                throw exceeded(null);
            }
            try {
                write.call();
            } catch (IOException failed) {
                throw explained(failed);
            }
        }

        private final class DeadlineInput extends FilterInputStream {

            DeadlineInput(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                return (int) DeadlineSocket.this.read(in::read);
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return (int) DeadlineSocket.this.read(() -> in.read(buffer, offset, length));
            }

            @Override
            public long skip(long n) throws IOException {
                return DeadlineSocket.this.read(() -> in.skip(n));
            }
        }

        private final class DeadlineOutput extends FilterOutputStream {

            DeadlineOutput(OutputStream out) {
                super(out);
            }

            @Override
            public void write(int b) throws IOException {
                DeadlineSocket.this.write(() -> {
                    out.write(b);
                    return 1;
                });
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                DeadlineSocket.this.write(() -> {
                    out.write(buffer, offset, length);
                    return length;
                });
            }

            @Override
            public void flush() throws IOException {
                DeadlineSocket.this.write(() -> {
                    out.flush();
                    return 0;
                });
            }

            @Override
            public void close() throws IOException {
                // closing must work after the deadline too, and must not flush into a server that stopped reading
                out.close();
            }
        }
    }
}
