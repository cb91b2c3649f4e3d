package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.net.DeadlineExceededException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

class DeliveryRetriesUnitTest {

    private final DeliveryRetries retries = new DeliveryRetries(java.util.Map.of("slack", new SlackChannel(),
            "email", new EmailChannel("ops@example.com")), 2, Duration.ofSeconds(60),
            notice -> "tried again at the next round");

    /** A failed delivery: Slack's failures are AlertDeliveryExceptions, the others come from SMTP. */
    private static Exchange failedWith(Exception failure, int attempt) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        String channel = failure instanceof AlertDeliveryException ? "slack" : "email";
        exchange.setVariable("notice", AlertTestData.alert(channel, AlertTestData.failure("TM", "e", "d", null)));
        exchange.setException(failure);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, attempt);
        return exchange;
    }

    private static SMTPSendFailedException reply(int code, String text) {
        return new SMTPSendFailedException("MAIL", code, code + " " + text, null, null, null, null);
    }

    /** A Slack send called from an expression (setVariable with a method) fails wrapped by Camel. */
    @Test
    void aSlackFailureThatCamelWrappedIsJudgedByTheSendersOwnVerdict() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setVariable("notice", AlertTestData.alert("slack", AlertTestData.failure("TM", "e", "d", null)));
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 1);
        exchange.setException(new org.apache.camel.language.bean.RuntimeBeanExpressionException(exchange, "slack",
                "send", new AlertDeliveryException("Slack answered HTTP 429: rate_limited (Retry-After 3s)",
                        AlertDeliveryException.Retry.WAIT, Duration.ofSeconds(3))));

        assertThat(retries.shouldRetry(exchange)).as("a 429 is retried after its Retry-After").isTrue();
        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY)).isEqualTo(3000L);
        assertThat(retries.describe(exchange)).isEqualTo("Slack answered HTTP 429: rate_limited (Retry-After 3s);"
                + " tried again at the next round");
    }

    @Test
    void smtp4xxAndLostConnectionsAreRetriedUpToTheLimit() {
        assertThat(retries.shouldRetry(failedWith(reply(451, "4.3.0 Try again later"), 1))).isTrue();
        assertThat(retries.shouldRetry(failedWith(reply(451, "4.3.0 Try again later"), 3))).isFalse();
        assertThat(retries.shouldRetry(failedWith(new MessagingException("Could not connect",
                new ConnectException("Connection refused")), 1))).isTrue();
    }

    @Test
    void anSmtpExchangeCutAtTheDeadlineIsRetriedAndSaysSo() {
        // as JavaMail reports a greeting that was still trickling in at the deadline
        Exchange cut = failedWith(new MessagingException("Exception reading response",
                new DeadlineExceededException(Duration.ofSeconds(2), new SocketTimeoutException("Read timed out"))), 1);

        assertThat(retries.shouldRetry(cut)).isTrue();
        assertThat(retries.describe(cut)).isEqualTo("SMTP server did not complete within alert.email.timeout (2s),"
                + " cut off; tried again at the next round");
        assertThat(retries.describe(failedWith(new MessagingException("Could not connect",
                new DeadlineExceededException(Duration.ofMillis(1500), null)), 1))).contains("(1500ms)");
    }

    @Test
    void smtp5xxIsFinalAndDescribedInTheServersWordsWithWhatHappensNext() {
        Exchange rejected = failedWith(reply(550, "5.7.1 Relaying denied\r\n"), 1);
        assertThat(retries.shouldRetry(rejected)).isFalse();
        assertThat(retries.describe(rejected)).isEqualTo("SMTP server answered 550 5.7.1 Relaying denied"
                + " (permanent, not retried in this round); tried again at the next round");

        SendFailedException nested = new SendFailedException("Invalid Addresses");
        nested.setNextException(new SMTPAddressFailedException(null, "RCPT TO", 550, "550 5.1.1 No such user"));
        assertThat(retries.shouldRetry(failedWith(nested, 1))).isFalse();
    }

    /** As JavaMail reports STARTTLS with a certificate the trust store does not hold. */
    private static MessagingException startTlsFailed(String jdkWords) {
        return new MessagingException("Could not convert socket to TLS", new SSLHandshakeException(jdkWords));
    }

    @Test
    void aCertificateThatCannotBeTrustedIsFinalAndNamesTheSettingThatFixesIt() {
        Exchange untrusted = failedWith(startTlsFailed("PKIX path building failed: unable to find valid"
                + " certification path to requested target"), 1);
        assertThat(retries.shouldRetry(untrusted)).as("retrying meets the same certificate").isFalse();
        assertThat(retries.describe(untrusted)).startsWith("TLS with the SMTP server failed, untrusted certificate"
                + " (SSLHandshakeException: PKIX path building failed").contains("set tls.trust-store")
                .endsWith("(not retried in this round); tried again at the next round");

        Exchange otherName = failedWith(startTlsFailed("No subject alternative names matching IP address 127.0.0.1"
                + " found"), 1);
        assertThat(retries.shouldRetry(otherName)).isFalse();
        assertThat(retries.describe(otherName)).contains("host name mismatch", "set alert.email.smtp-host")
                .doesNotContain("tls.trust-store");

        Exchange plain = failedWith(new MessagingException("STARTTLS is required but host does not support STARTTLS"),
                1);
        assertThat(retries.shouldRetry(plain)).isFalse();
        assertThat(retries.describe(plain)).contains("does not offer STARTTLS", "alert.email.starttls");

        assertThat(retries.shouldRetry(failedWith(new MessagingException("Could not convert socket to TLS",
                new SSLHandshakeException("Remote host terminated the handshake")), 1)))
                .as("a handshake cut short is a lost connection, worth a retry").isTrue();
    }

    @Test
    void slackAnswersAreRetriedAsTheySay() {
        assertThat(retries.shouldRetry(failedWith(new AlertDeliveryException("HTTP 503",
                AlertDeliveryException.Retry.TRANSIENT, null), 1))).isTrue();
        assertThat(retries.shouldRetry(failedWith(new AlertDeliveryException("HTTP 404"), 1))).isFalse();

        Exchange limited = failedWith(new AlertDeliveryException("HTTP 429", AlertDeliveryException.Retry.WAIT,
                Duration.ofSeconds(7)), 1);
        assertThat(retries.shouldRetry(limited)).isTrue();
        assertThat(limited.getMessage().getHeader(Exchange.REDELIVERY_DELAY, Long.class)).isEqualTo(7000L);

        assertThat(retries.shouldRetry(failedWith(new AlertDeliveryException("HTTP 429",
                AlertDeliveryException.Retry.WAIT, Duration.ofMinutes(5)), 1)))
                .as("a long wait is left to a later round").isFalse();
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        java.time.Instant now = java.time.Instant.parse("2024-01-01T00:00:00Z");
        assertThat(SlackWebhooks.retryAfter(java.util.Optional.of("30"), now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(SlackWebhooks.retryAfter(java.util.Optional.of("Mon, 01 Jan 2024 00:01:00 GMT"), now))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(SlackWebhooks.retryAfter(java.util.Optional.empty(), now)).isEqualTo(Duration.ofSeconds(1));
        assertThat(SlackWebhooks.retryAfter(java.util.Optional.of("soon"), now)).isEqualTo(Duration.ofSeconds(1));
    }
}
