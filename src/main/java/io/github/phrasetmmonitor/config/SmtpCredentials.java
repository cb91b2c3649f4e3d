package io.github.phrasetmmonitor.config;

import io.github.phrasetmmonitor.settings.MonitorSettings;
import jakarta.mail.PasswordAuthentication;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * SMTP login for camel-mail, handed over as a bean so the password never sits in an endpoint URI. An empty user name
 * means the server takes mail without authentication.
 */
public final class SmtpCredentials extends MailAuthenticator {

    private final MonitorSettings.EmailSettings email;

    public SmtpCredentials(MonitorSettings.EmailSettings email) {
        this.email = email;
    }

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return email.username().isEmpty() ? new PasswordAuthentication(null, null)
                : new PasswordAuthentication(email.username(), email.password());
    }

    @Override
    public String toString() {
        return "SmtpCredentials[" + (email.username().isEmpty() ? "none" : email.username() + ":****") + "]";
    }
}
