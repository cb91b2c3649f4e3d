package io.github.phrasetmmonitor.alert;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.DefaultJavaMailSender;
import org.apache.camel.component.mail.JavaMailSender;
import org.apache.camel.component.mail.MailConfiguration;

/**
 * Sends a notice's copy to the recipients still lacking it (the envelope: {@code RCPT TO}, from the {@code To} header
 * {@link EmailRecipients#address} sets) while its {@code To:} line names every recipient of the notice (header
 * {@link #EVERYONE}, which is removed before sending). So a late copy, after a server refused one address for now,
 * reads like the first copy: the same {@code To:}, the same {@code Message-ID} ({@link NoticeMessageId}), the way a
 * mail server delivers one message to several recipients. Without that header it sends as camel-mail does.
 */
public final class NoticeMailSender extends DefaultJavaMailSender {

    /** The header that carries the {@code To:} line every copy shows; never sent. */
    public static final String EVERYONE = "X-Phrase-Monitor-Everyone";

    @Override
    public void send(MimeMessage message) throws MessagingException {
        String[] everyone = message.getHeader(EVERYONE);
        Address[] envelope = message.getAllRecipients();
        if (everyone == null || everyone.length == 0) {
            super.send(message);
            return;
        }
        message.removeHeader(EVERYONE);
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(everyone[0], false));
        Transport transport = getTransport(getSession());
        jakarta.mail.PasswordAuthentication login = getPasswordAuthentication();
        transport.connect(getHost(), getPort(), login.getUserName(), login.getPassword());
        try {
            if (message.getSentDate() == null) {
                message.setSentDate(new Date());
            }
            // the Message-ID set by the composer, which saveChanges would replace with a new one
            String messageId = message.getMessageID();
            message.saveChanges();
            if (messageId != null) {
                message.setHeader("Message-ID", messageId);
            }
            transport.sendMessage(message, envelope);
        } finally {
            try {
                transport.close();
            } catch (MessagingException e) {
                // the message was sent or its failure is thrown; a QUIT that fails changes neither
            }
        }
    }

    /** The smtp component's configuration, making this sender for its endpoints with everything else unchanged. */
    public static final class Configuration extends MailConfiguration {

        public Configuration(CamelContext context) {
            super(context);
        }

        @Override
        protected JavaMailSender createJavaMailSender(CamelContext context) {
            JavaMailSender configured = super.createJavaMailSender(context);
            NoticeMailSender sender = new NoticeMailSender();
            sender.setJavaMailProperties(configured.getJavaMailProperties());
            sender.setHost(configured.getHost());
            sender.setPort(configured.getPort());
            sender.setUsername(configured.getUsername());
            sender.setPassword(configured.getPassword());
            sender.setAuthenticator(configured.getAuthenticator());
            sender.setProtocol(configured.getProtocol());
            sender.setSession(configured.getSession());
            return sender;
        }
    }
}
