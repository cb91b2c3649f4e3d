package io.github.phrasetmmonitor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.support.FakeSmtpServer;
import io.github.phrasetmmonitor.support.ScriptedSmtpServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deadline holds whatever the peer does: trickles, says nothing, stops reading, or leaves a TLS handshake
 * hanging; a caller's own shorter read timeout keeps working as before; JavaMail uses the factory and is cut by it.
 */
class DeadlineSocketsUnitTest {

    private static final Duration LIMIT = Duration.ofSeconds(2);
    /** Generous either way: "near the deadline", on a machine that may be busy. */
    private static final Duration EARLIEST = Duration.ofMillis(1_500);
    private static final Duration LATEST = Duration.ofSeconds(8);

    private ScheduledExecutorService closer;

    @BeforeEach
    void startCloser() {
        closer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopCloser() {
        closer.shutdownNow();
    }

    /** Connected, with a read timeout as long as the deadline, as JavaMail sets it from alert.email.timeout. */
    private Socket connectedTo(int port, Duration limit) throws Exception {
        Socket socket = new DeadlineSockets(limit, closer).createSocket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) limit.toMillis());
        socket.setSoTimeout((int) limit.toMillis());
        return socket;
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aPeerThatTricklesIsCutAtTheDeadlineThoughNoSingleReadWaitsLong() throws Exception {
        try (FakeSmtpServer trickling = new FakeSmtpServer(0, FakeSmtpServer.Behaviour.TRICKLING);
             Socket socket = connectedTo(trickling.port(), LIMIT)) {
            InputStream in = socket.getInputStream();
            AtomicInteger received = new AtomicInteger();
            long start = System.nanoTime();

            assertThatThrownBy(() -> {
                while (in.read() != -1) {
                    received.incrementAndGet();
                }
            }).isInstanceOf(DeadlineExceededException.class).hasMessageContaining("2s");

            assertThat(since(start)).isBetween(EARLIEST, LATEST);
            assertThat(received.get()).as("bytes kept coming, each well within the read timeout").isGreaterThan(1);
            await().atMost(LATEST).until(() -> trickling.cuts().size() == 1);
            assertThat(trickling.cuts().get(0)).as("the server saw the hang-up").isBetween(EARLIEST, LATEST);
        }
    }

    @Test
    void aSilentPeerIsCutAtTheDeadlineThoughTheReadTimeoutIsLonger() throws Exception {
        try (FakeSmtpServer silent = new FakeSmtpServer(0, FakeSmtpServer.Behaviour.SILENT);
             Socket socket = connectedTo(silent.port(), LIMIT)) {
            socket.setSoTimeout(60_000);
            long start = System.nanoTime();

            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(DeadlineExceededException.class);
            assertThat(since(start)).isBetween(EARLIEST, LATEST);
        }
    }

    @Test
    void aShorterReadTimeoutOfTheCallerIsAnOrdinaryTimeoutAndTheSocketGoesOn() throws Exception {
        try (FakeSmtpServer trickling = new FakeSmtpServer(0, FakeSmtpServer.Behaviour.TRICKLING);
             Socket socket = connectedTo(trickling.port(), Duration.ofSeconds(30))) {
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo('2');

            // the next byte comes a second after the first
            socket.setSoTimeout(300);
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class)
                    .isNotInstanceOf(DeadlineExceededException.class);
            assertThat(socket.getSoTimeout()).isEqualTo(300);

            socket.setSoTimeout(10_000);
            assertThat(in.read()).isEqualTo('2');
            assertThat(in.read()).isEqualTo('0');
        }
    }

    @Test
    void aWriteThatBlocksBecauseThePeerStoppedReadingIsEndedAtTheDeadline() throws Exception {
        try (FakeSmtpServer silent = new FakeSmtpServer(0, FakeSmtpServer.Behaviour.SILENT)) {
            Socket socket = new DeadlineSockets(LIMIT, closer).createSocket();
            socket.setSendBufferSize(8_192);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.port()));
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            long start = System.nanoTime();

            assertThatThrownBy(() -> {
                while (true) {
                    out.write(chunk);
                }
            }).isInstanceOf(DeadlineExceededException.class);

            assertThat(since(start)).isBetween(EARLIEST, LATEST);
            assertThat(socket.isClosed()).isTrue();
        }
    }

    /** What STARTTLS does: JavaMail layers a TLS socket over the connected one. */
    @Test
    void aTlsHandshakeLayeredOnTopWaitsNoLongerThanTheDeadline() throws Exception {
        try (FakeSmtpServer silent = new FakeSmtpServer(0, FakeSmtpServer.Behaviour.SILENT)) {
            // the deadline runs from the connection: the TLS set-up below may take a while on a loaded machine
            long start = System.nanoTime();
            Socket socket = connectedTo(silent.port(), LIMIT);
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, "localhost", silent.port(), true);

            assertThatThrownBy(tls::startHandshake)
                    .satisfies(failure -> assertThat(Causes.find(failure, DeadlineExceededException.class))
                            .as("caused by the deadline: %s", failure).isPresent());
            assertThat(since(start)).isBetween(EARLIEST, LATEST);
            tls.close();
        }
    }

    @Test
    void afterTheDeadlineTheSocketIsClosedAndEveryCallFailsAsExceeded() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(0, "unused");
             Socket socket = connectedTo(server.port(), LIMIT)) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            assertThat(lines.readLine()).startsWith("220");

            await().atMost(LATEST).until(socket::isClosed);

            assertThatThrownBy(() -> out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOf(DeadlineExceededException.class);
            assertThatThrownBy(in::read).isInstanceOf(DeadlineExceededException.class);
        }
    }

    /** As the monitor configures JavaMail: the factory instance in the session's properties, no fallback. */
    private Session session(int port) {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.connectiontimeout", Long.toString(LIMIT.toMillis()));
        properties.put("mail.smtp.timeout", Long.toString(LIMIT.toMillis()));
        properties.put("mail.smtp.writetimeout", Long.toString(LIMIT.toMillis()));
        properties.put("mail.smtp.socketFactory", new DeadlineSockets(LIMIT, closer));
        properties.put("mail.smtp.socketFactory.fallback", "false");
        return Session.getInstance(properties);
    }

    private static MimeMessage message(Session session) throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("monitor@example.com"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("ops@example.com"));
        message.setSubject("deadline");
        message.setText("within the deadline");
        return message;
    }

    @Test
    void javaMailSendsThroughTheFactoryAndIsCutByIt() throws Exception {
        try (ScriptedSmtpServer healthy = new ScriptedSmtpServer(0, "unused")) {
            Session session = session(healthy.port());
            Transport.send(message(session));
            assertThat(healthy.accepted()).hasSize(1);
        }

        try (FakeSmtpServer trickling = new FakeSmtpServer(0, FakeSmtpServer.Behaviour.TRICKLING)) {
            Session session = session(trickling.port());
            long start = System.nanoTime();

            assertThatThrownBy(() -> Transport.send(message(session)))
                    .satisfies(failure -> assertThat(Causes.find(failure, DeadlineExceededException.class))
                            .as("caused by the deadline: %s", failure).isPresent());
            assertThat(since(start)).isBetween(EARLIEST, LATEST);
            await().atMost(LATEST).until(() -> trickling.cuts().size() == 1);
            assertThat(trickling.cuts().get(0)).isBetween(EARLIEST, LATEST);
        }
    }
}
