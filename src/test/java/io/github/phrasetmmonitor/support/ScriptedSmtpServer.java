package io.github.phrasetmmonitor.support;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A tiny SMTP server that speaks just enough SMTP for camel-mail and can be told to refuse: MAIL FROM is answered with
 * a chosen reply (e.g. {@code 451 4.3.0 Try again later}, or {@code 550 ...}) for the first N attempts, then 250;
 * and {@code RCPT TO} of a chosen address likewise ({@link #refuseRecipient}), as a server that refuses one address
 * of a list while it takes the others. It can offer STARTTLS. Records the messages it accepted, each with the
 * recipients it took them for. GreenMail can neither answer 451 nor refuse one recipient nor speak STARTTLS.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    /** A message the server took, and the recipients it took it for. */
    public record Delivery(List<String> recipients, MimeMessage message) {
    }

    private record Refusal(AtomicInteger left, String reply) {
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<MimeMessage> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger acceptedOverTls = new AtomicInteger();
    private final AtomicInteger mailFromAttempts = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger startTlsCommands = new AtomicInteger();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, Refusal> refusedRecipients = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> rcptAttempts = new ConcurrentHashMap<>();
    private final AtomicInteger refusalsLeft;
    private final String refusal;
    private final SSLContext tls;

    /** Refuses the first {@code refusals} MAIL FROM commands with {@code refusal}; -1 refuses them all. */
    public ScriptedSmtpServer(int refusals, String refusal) throws IOException {
        this(0, refusals, refusal);
    }

    public ScriptedSmtpServer(int port, int refusals, String refusal) throws IOException {
        this(port, refusals, refusal, null);
    }

    /** Takes every message, and offers STARTTLS with the key and certificate in this PKCS12 store. */
    public static ScriptedSmtpServer withStartTls(Path keyStore, String password) throws Exception {
        return new ScriptedSmtpServer(0, 0, "unused", TestCertificates.serverContext(keyStore, password));
    }

    private ScriptedSmtpServer(int port, int refusals, String refusal, SSLContext tls) throws IOException {
        this.refusalsLeft = new AtomicInteger(refusals);
        this.refusal = refusal;
        this.tls = tls;
        this.socket = new ServerSocket(port, 10, InetAddress.getByName("127.0.0.1"));
        this.acceptor = new Thread(this::acceptLoop, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public List<MimeMessage> accepted() {
        return List.copyOf(accepted);
    }

    public int mailFromAttempts() {
        return mailFromAttempts.get();
    }

    /**
     * Answers {@code RCPT TO:<address>} with {@code reply} (e.g. {@code 554 5.7.1 Relay access denied}) the first
     * {@code times} times, -1 for ever; the other recipients are taken.
     */
    public ScriptedSmtpServer refuseRecipient(String address, int times, String reply) {
        refusedRecipients.put(address.toLowerCase(java.util.Locale.ROOT), new Refusal(new AtomicInteger(times), reply));
        return this;
    }

    /** The messages taken, each with the recipients it was taken for. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** How many messages were taken for this recipient. */
    public long deliveredTo(String address) {
        return deliveries.stream().filter(delivery -> delivery.recipients().contains(address)).count();
    }

    /** How many times the client named this recipient in RCPT TO, taken or refused. */
    public int rcptAttempts(String address) {
        AtomicInteger attempts = rcptAttempts.get(address.toLowerCase(java.util.Locale.ROOT));
        return attempts == null ? 0 : attempts.get();
    }

    /** Connections the server accepted. */
    public int connections() {
        return connections.get();
    }

    /** STARTTLS commands the client sent: each one a TLS handshake, when the server offers it. */
    public int startTlsCommands() {
        return startTlsCommands.get();
    }

    /** Of {@link #accepted()}, those that came after STARTTLS. */
    public int acceptedOverTls() {
        return acceptedOverTls.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                connections.incrementAndGet();
                converse(client);
            } catch (IOException closedOrBroken) {
                // next connection, or the server is closing
            }
        }
    }

    private void converse(Socket client) throws IOException {
        Socket current = client;
        BufferedReader in = new BufferedReader(new InputStreamReader(current.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = current.getOutputStream();
        reply(out, "220 scripted ESMTP ready");
        List<String> recipients = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            boolean secured = current instanceof SSLSocket;
            switch (command) {
                case "EHLO", "HELO" -> reply(out, tls != null && !secured
                        ? "250-scripted\r\n250 STARTTLS" : "250 scripted");
                case "STAR" -> {
                    startTlsCommands.incrementAndGet();
                    if (tls == null || secured) {
                        reply(out, "502 5.5.1 STARTTLS not offered");
                    } else {
                        reply(out, "220 2.0.0 Ready to start TLS");
                        SSLSocket upgraded = (SSLSocket) tls.getSocketFactory().createSocket(current,
                                current.getInetAddress().getHostAddress(), current.getPort(), true);
                        upgraded.setUseClientMode(false);
                        upgraded.startHandshake();
                        current = upgraded;
                        in = new BufferedReader(new InputStreamReader(current.getInputStream(),
                                StandardCharsets.UTF_8));
                        out = current.getOutputStream();
                    }
                }
                case "MAIL" -> {
                    mailFromAttempts.incrementAndGet();
                    recipients.clear();
                    if (refusalsLeft.get() != 0) {
                        refusalsLeft.decrementAndGet();
                        reply(out, refusal);
                    } else {
                        reply(out, "250 2.1.0 OK");
                    }
                }
                case "RCPT" -> {
                    String address = line.replaceFirst("(?i)^RCPT TO:\\s*<([^>]*)>.*$", "$1");
                    rcptAttempts.computeIfAbsent(address.toLowerCase(java.util.Locale.ROOT),
                            key -> new AtomicInteger()).incrementAndGet();
                    Refusal refusal = refusedRecipients.get(address.toLowerCase(java.util.Locale.ROOT));
                    if (refusal != null && refusal.left().get() != 0) {
                        refusal.left().decrementAndGet();
                        reply(out, refusal.reply());
                    } else {
                        recipients.add(address);
                        reply(out, "250 2.1.5 OK");
                    }
                }
                case "DATA" -> {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    StringBuilder data = new StringBuilder();
                    String dataLine;
                    while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                        data.append(dataLine.startsWith("..") ? dataLine.substring(1) : dataLine).append("\r\n");
                    }
                    deliveries.add(new Delivery(List.copyOf(recipients), accept(data.toString())));
                    if (secured) {
                        acceptedOverTls.incrementAndGet();
                    }
                    reply(out, "250 2.0.0 OK queued");
                }
                case "RSET", "NOOP" -> {
                    recipients.clear();
                    reply(out, "250 2.0.0 OK");
                }
                case "QUIT" -> {
                    reply(out, "221 2.0.0 Bye");
                    return;
                }
                default -> reply(out, "502 5.5.2 Command not recognized");
            }
        }
    }

    private MimeMessage accept(String raw) throws IOException {
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
            accepted.add(message);
            return message;
        } catch (jakarta.mail.MessagingException e) {
            throw new IOException(e);
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
