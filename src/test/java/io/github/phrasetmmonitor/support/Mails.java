package io.github.phrasetmmonitor.support;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;

/** Reads the parts of an alert email: multipart/alternative with a plain-text and an HTML part. */
public final class Mails {

    private Mails() {
    }

    public static String text(MimeMessage mail) throws MessagingException, IOException {
        return part(mail, "text/plain");
    }

    public static String html(MimeMessage mail) throws MessagingException, IOException {
        return part(mail, "text/html");
    }

    private static String part(MimeMessage mail, String type) throws MessagingException, IOException {
        Object content = mail.getContent();
        if (!(content instanceof Multipart multipart)) {
            throw new AssertionError("not a multipart email: " + mail.getContentType());
        }
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no " + type + " part in " + mail.getContentType());
    }
}
