package io.github.phrasetmmonitor.alert;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an SMTP server's refusal of a recipient is about, read from its reply: the mailbox (the address is bad: left
 * out), this moment (try again later), or the monitor itself, as a client or a sender (relaying denied, the EHLO
 * name, authentication, the sender address): then no address is to blame, nobody is left out, and it is one problem
 * about the server or the settings. A server refuses the monitor at {@code RCPT TO} as often as anywhere else (Postfix
 * checks its relay, HELO and sender restrictions there), once for each recipient.
 *
 * <p>The enhanced status code (RFC 3463) decides when the reply has one: {@code 5.1.x} is the mailbox, except
 * {@code 5.1.7} and {@code 5.1.8}, which are the sender's address; {@code 5.5.2} and {@code 5.7.x}, and every other
 * {@code 5.x.x}, are about the client. Without one the reading is conservative: only {@code 550} and {@code 553} whose
 * text names the refused address are the mailbox; any other permanent reply is taken as about the client, so a
 * server's policy never costs an address.
 *
 * @param reply   the server's reply, in one line
 * @param code    the reply code
 * @param about   what the refusal is about
 */
public record SmtpRefusal(String reply, int code, About about) {

    /** What a refusal is about, and for {@link #CLIENT} kinds, the setting or server side that fixes it. */
    public enum About {
        /** The address is bad (or the reply names it without an enhanced code): left out from then on. */
        MAILBOX,
        /** A temporary refusal (4xx, and 552): the address gets the notice later. */
        FOR_NOW,
        /** The EHLO name the monitor gave (e.g. Postfix's reject_non_fqdn_helo_hostname). */
        HELO,
        /** The sender address (alert.email.from). */
        SENDER,
        /** The server wants the monitor to log in. */
        AUTHENTICATION,
        /** Any other refusal of this client: relaying denied, the client host, a policy. */
        POLICY;

        /** The server refused the monitor, not the address. */
        public boolean isClient() {
            return this != MAILBOX && this != FOR_NOW;
        }
    }

    private static final Pattern ENHANCED = Pattern.compile("^\\s*\\d{3}[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");
    private static final Pattern HELO_WORDS = Pattern.compile("\\b(helo|ehlo)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern AUTH_WORDS = Pattern.compile("authenticat", Pattern.CASE_INSENSITIVE);
    private static final Pattern AUTH_CODE = Pattern.compile("^\\s*\\d{3}[ -]5\\.7\\.[08]\\b");
    private static final Pattern SENDER_WORDS = Pattern.compile("\\bsender\\b", Pattern.CASE_INSENSITIVE);

    /**
     * @param code    the reply code JavaMail read
     * @param reply   the server's reply text, code included, as JavaMail keeps it
     * @param address the refused address, or null when the refusal is not about one recipient (MAIL FROM)
     */
    public static SmtpRefusal of(int code, String reply, String address) {
        String text = reply == null ? "" : reply.trim();
        return new SmtpRefusal(text, code, about(code, text, address));
    }

    private static About about(int code, String text, String address) {
        if (code < 500 || code == 552) {
            // RFC 5321 4.5.3.1.10: 552 to RCPT TO is the temporary 452, as JavaMail takes it
            return About.FOR_NOW;
        }
        Matcher enhanced = ENHANCED.matcher(text);
        if (enhanced.find()) {
            int subject = Integer.parseInt(enhanced.group(2));
            int detail = Integer.parseInt(enhanced.group(3));
            if (subject == 1 && (detail == 7 || detail == 8)) {
                return About.SENDER;
            }
            if (subject == 1) {
                return About.MAILBOX;
            }
            return client(code, text);
        }
        boolean namesTheAddress = address != null && !address.isBlank()
                && text.toLowerCase(Locale.ROOT).contains(address.trim().toLowerCase(Locale.ROOT));
        if ((code == 550 || code == 553) && namesTheAddress && !SENDER_WORDS.matcher(text).find()
                && !HELO_WORDS.matcher(text).find()) {
            return About.MAILBOX;
        }
        return client(code, text);
    }

    private static About client(int code, String text) {
        if (HELO_WORDS.matcher(text).find()) {
            return About.HELO;
        }
        if (code == 530 || AUTH_CODE.matcher(text).find() || AUTH_WORDS.matcher(text).find()) {
            return About.AUTHENTICATION;
        }
        if (SENDER_WORDS.matcher(text).find()) {
            return About.SENDER;
        }
        return About.POLICY;
    }

    /** The refusal was about the monitor as a client or sender: a problem of the server or the settings. */
    public boolean isAboutClient() {
        return about.isClient();
    }

    /** What the server refuses and what fixes it, for the monitor problem and the log line. */
    public String whatFixesIt() {
        return switch (about) {
            case HELO -> "the SMTP server refuses the name the monitor greets it with (EHLO): set"
                    + " alert.email.helo-name to this host's fully qualified name, or allow it in the server";
            case SENDER -> "the SMTP server refuses the sender address alert.email.from: use an address the server"
                    + " accepts from the monitor";
            case AUTHENTICATION -> "the SMTP server wants the monitor to log in: set alert.email.username and"
                    + " alert.email.password (with alert.email.starttls=true)";
            case POLICY -> "the SMTP server refuses mail from the monitor (relaying or the client host denied):"
                    + " allow the monitor's host in the server (e.g. Postfix mynetworks) or have it log in"
                    + " (alert.email.username, alert.email.password)";
            case MAILBOX, FOR_NOW -> "";
        };
    }
}
