package io.github.phrasetmmonitor.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;

/** The demo profile's local SMTP server (GreenMail), so email alerts are really sent and received on this machine. */
public final class DemoMailbox {

    private final GreenMail smtp;
    private int seen;

    public DemoMailbox(int port) {
        this.smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    public void start() {
        smtp.start();
    }

    public void stop() {
        smtp.stop();
    }

    /** Emails that arrived since the last call, one readable line each. */
    public synchronized List<String> newMail() throws MessagingException {
        MimeMessage[] all = smtp.getReceivedMessages();
        List<String> lines = new ArrayList<>();
        for (int i = seen; i < all.length; i++) {
            lines.add("to " + String.join(", ", List.of(all[i].getHeader("To"))) + " | " + all[i].getSubject());
        }
        seen = all.length;
        return lines;
    }
}
