package io.github.phrasetmmonitor.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EHLO name: the setting, else the machine's best name, and never "localhost" when something better is known. */
class HeloNameUnitTest {

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aFullyQualifiedNameOfTheMachineWins() throws Exception {
        assertThat(HeloName.choose(List.of("localhost", "monitor-7.ops.example.com"),
                List.of(address("127.0.0.1"), address("192.0.2.2")))).isEqualTo("monitor-7.ops.example.com");
    }

    @Test
    void withoutOneTheMachinesAddressAsALiteralRatherThanLocalhostOrAShortName() throws Exception {
        // a container: /etc/hosts maps the short host name to 127.0.0.1, whose canonical name is localhost
        assertThat(HeloName.choose(List.of("localhost", "vm"), List.of(address("127.0.0.1"),
                address("fe80::1"), address("192.0.2.2")))).isEqualTo("[192.0.2.2]");
        assertThat(HeloName.choose(List.of("localhost.localdomain"), List.of(address("10.1.2.3"))))
                .isEqualTo("[10.1.2.3]");
    }

    @Test
    void aShortNameOnlyWhenNothingElseIsKnownAndLocalhostLast() throws Exception {
        assertThat(HeloName.choose(List.of("localhost", "vm"), List.of(address("127.0.0.1")))).isEqualTo("vm");
        assertThat(HeloName.choose(List.of("localhost"), List.of())).isEqualTo("localhost");
    }

    @Test
    void theSettingWinsAndMustBeAHostNameOrAnAddressLiteral() {
        assertThat(HeloName.of("mail-client.example.org")).isEqualTo("mail-client.example.org");
        assertThat(HeloName.of(" [192.0.2.7] ")).isEqualTo("[192.0.2.7]");
        assertThatThrownBy(() -> HeloName.of("not a name")).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("alert.email.helo-name");
        assertThat(HeloName.of("")).as("this machine's own, never localhost on a machine with an address")
                .isNotEqualTo("localhost").isNotBlank();
    }
}
