package io.github.phrasetmmonitor.net;

import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.text.SafeText;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * A TLS handshake that failed on the server's certificate: one that is not trusted, or one for another host name.
 * Trying again meets the same certificate, so a channel gives up for the round and says which setting fixes it. The
 * JDK reports both as an {@code SSLHandshakeException}, told apart only by its words ("PKIX path building failed",
 * "No subject alternative names matching ...", "No name matching ...").
 *
 * @param kind   which of the two it is
 * @param detail the JDK's own words, in one short line
 */
public record TlsFailure(Kind kind, String detail) {

    public enum Kind {
        /** No trusted CA signed the certificate (self-signed, a corporate CA not in the trust store, expired). */
        UNTRUSTED_CERTIFICATE("untrusted certificate"),
        /** The certificate is valid but names another host than the one the monitor connects to. */
        HOST_NAME_MISMATCH("host name mismatch");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private static final List<String> NAME_MISMATCH = List.of("no subject alternative", "no name matching",
            "doesn't match", "does not match", "can't verify identity");
    private static final List<String> UNTRUSTED = List.of("pkix path", "certificate_unknown", "certificate unknown",
            "unable to find valid certification path", "validity check failed");

    /** The certificate problem in this failure or its causes, if that is what it is. */
    public static Optional<TlsFailure> of(Throwable failure) {
        List<Throwable> chain = Causes.of(failure);
        boolean tls = chain.stream().anyMatch(cause -> cause instanceof SSLException
                || cause instanceof GeneralSecurityException);
        if (!tls) {
            return Optional.empty();
        }
        for (Throwable cause : chain) {
            if (mentions(cause, NAME_MISMATCH)) {
                return Optional.of(new TlsFailure(Kind.HOST_NAME_MISMATCH, words(cause)));
            }
        }
        for (Throwable cause : chain) {
            if (mentions(cause, UNTRUSTED) || cause instanceof GeneralSecurityException) {
                return Optional.of(new TlsFailure(Kind.UNTRUSTED_CERTIFICATE, words(cause)));
            }
        }
        return Optional.empty();
    }

    /**
     * One line for the log: which failure it is, the JDK's words, and the setting that fixes it.
     *
     * @param server      what the monitor connected to, e.g. "the SMTP server"
     * @param hostSetting the setting that names the host, for a name mismatch
     */
    public String describe(String server, String hostSetting) {
        String fix = kind == Kind.UNTRUSTED_CERTIFICATE
                ? "set tls.trust-store to a trust store that holds the CA of " + server + "'s certificate"
                : "set " + hostSetting + " to a host name that " + server + "'s certificate holds";
        return "TLS with " + server + " failed, " + kind.words() + " (" + detail + "): " + fix;
    }

    private static boolean mentions(Throwable cause, List<String> words) {
        String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        return words.stream().anyMatch(message::contains);
    }

    private static String words(Throwable cause) {
        return SafeText.line(cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), 200);
    }
}
