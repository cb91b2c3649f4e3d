package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.alert.SmtpRefusal.About;
import org.junit.jupiter.api.Test;

/** Real servers' replies to RCPT TO (Postfix, Exim, Exchange, Gmail), read as the mailbox, the moment or the client. */
class SmtpRefusalUnitTest {

    private static final String OPS = "ops@example.com";

    private static About about(String reply) {
        return SmtpRefusal.of(Integer.parseInt(reply.substring(0, 3)), reply, OPS).about();
    }

    @Test
    void anEnhancedCode51IsTheMailbox() {
        assertThat(about("550 5.1.1 <ops@example.com>: Recipient address rejected: User unknown in local"
                + " recipient table")).isEqualTo(About.MAILBOX);
        assertThat(about("550-5.1.1 The email account that you tried to reach does not exist.")).isEqualTo(About.MAILBOX);
        assertThat(about("553 5.1.3 Bad recipient address syntax")).isEqualTo(About.MAILBOX);
    }

    @Test
    void theSenderCodes517And518AreAboutTheSenderAddress() {
        assertThat(about("553 5.1.8 <monitor@nowhere.invalid>: Sender address rejected: Domain not found"))
                .isEqualTo(About.SENDER);
        assertThat(about("550 5.1.7 Invalid sender address")).isEqualTo(About.SENDER);
    }

    @Test
    void policyRefusalsAreAboutTheClientEvenWhenTheyNameTheAddress() {
        assertThat(about("554 5.7.1 <ops@example.com>: Relay access denied")).isEqualTo(About.POLICY);
        assertThat(about("550 5.7.1 Unable to relay")).isEqualTo(About.POLICY);
        assertThat(about("554 5.7.1 <unknown[10.0.0.9]>: Client host rejected: Access denied"))
                .isEqualTo(About.POLICY);
        assertThat(about("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname"))
                .isEqualTo(About.HELO);
        assertThat(about("530 5.7.0 Authentication required")).isEqualTo(About.AUTHENTICATION);
        assertThat(about("550 5.7.57 Client not authenticated to send mail")).isEqualTo(About.AUTHENTICATION);
        assertThat(about("553 5.7.1 <monitor@example.com>: Sender address rejected: not owned by user"))
                .isEqualTo(About.SENDER);
    }

    @Test
    void withoutAnEnhancedCodeOnly550And553NamingTheAddressAreTheMailbox() {
        assertThat(about("550 <ops@example.com>... User unknown")).isEqualTo(About.MAILBOX);
        assertThat(about("553 sorry, ops@example.com is not a valid mailbox")).isEqualTo(About.MAILBOX);
        assertThat(about("550 relaying denied")).as("no address named: the conservative reading")
                .isEqualTo(About.POLICY);
        assertThat(about("554 <ops@example.com>: Relay access denied")).as("554 is no mailbox reply")
                .isEqualTo(About.POLICY);
        assertThat(about("550 <ops@example.com>: Sender address rejected")).isEqualTo(About.SENDER);
        assertThat(about("501 Syntax: HELO hostname")).isEqualTo(About.HELO);
    }

    @Test
    void temporaryRefusalsAreForNowAnd552Too() {
        assertThat(about("451 4.3.0 Temporary lookup failure")).isEqualTo(About.FOR_NOW);
        assertThat(about("450 4.7.1 <localhost>: Helo command rejected: Host not found")).isEqualTo(About.FOR_NOW);
        assertThat(about("552 5.2.2 Mailbox full")).as("RFC 5321: take it as 452").isEqualTo(About.FOR_NOW);
    }

    @Test
    void eachRefusalOfTheClientNamesWhatFixesIt() {
        assertThat(SmtpRefusal.of(504, "504 5.5.2 <localhost>: Helo command rejected", OPS).whatFixesIt())
                .contains("alert.email.helo-name");
        assertThat(SmtpRefusal.of(553, "553 5.1.8 Sender address rejected", OPS).whatFixesIt())
                .contains("alert.email.from");
        assertThat(SmtpRefusal.of(530, "530 5.7.0 Authentication required", OPS).whatFixesIt())
                .contains("alert.email.username", "alert.email.password");
        assertThat(SmtpRefusal.of(554, "554 5.7.1 Relay access denied", OPS).whatFixesIt())
                .contains("relaying", "mynetworks");
        assertThat(SmtpRefusal.of(554, "554 5.7.1 Relay access denied", OPS).isAboutClient()).isTrue();
        assertThat(SmtpRefusal.of(550, "550 5.1.1 User unknown", OPS).isAboutClient()).isFalse();
    }
}
