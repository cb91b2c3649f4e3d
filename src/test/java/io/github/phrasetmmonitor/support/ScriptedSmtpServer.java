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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny SMTP server that speaks just enough SMTP for camel-mail and can be told to refuse: MAIL FROM is answered with
 * a chosen reply (e.g. {@code 451 4.3.0 Try again later}, or {@code 550 ...}) for the first N attempts, then 250.
 * Records the messages it accepted. GreenMail cannot be told to answer 451.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<MimeMessage> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger mailFromAttempts = new AtomicInteger();
    private final AtomicInteger refusalsLeft;
    private final String refusal;

    /** Refuses the first {@code refusals} MAIL FROM commands with {@code refusal}; -1 refuses them all. */
    public ScriptedSmtpServer(int refusals, String refusal) throws IOException {
        this(0, refusals, refusal);
    }

    public ScriptedSmtpServer(int port, int refusals, String refusal) throws IOException {
        this.refusalsLeft = new AtomicInteger(refusals);
        this.refusal = refusal;
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

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                converse(client);
            } catch (IOException closedOrBroken) {
                // next connection, or the server is closing
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream();
        reply(out, "220 scripted ESMTP ready");
        List<String> recipients = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (command) {
                case "EHLO", "HELO" -> reply(out, "250 scripted");
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
                    recipients.add(line);
                    reply(out, "250 2.1.5 OK");
                }
                case "DATA" -> {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    StringBuilder data = new StringBuilder();
                    String dataLine;
                    while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                        data.append(dataLine.startsWith("..") ? dataLine.substring(1) : dataLine).append("\r\n");
                    }
                    accept(data.toString());
                    reply(out, "250 2.0.0 OK queued");
                }
                case "RSET", "NOOP" -> reply(out, "250 2.0.0 OK");
                case "QUIT" -> {
                    reply(out, "221 2.0.0 Bye");
                    return;
                }
                default -> reply(out, "502 5.5.2 Command not recognized");
            }
        }
    }

    private void accept(String raw) throws IOException {
        try {
            accepted.add(new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
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
