package io.github.phrasetmmonitor.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SummarySettingsUnitTest {

    private static SummarySettings read(Map<String, String> values) {
        return SummarySettings.read(key -> Optional.ofNullable(values.get(key)), List.of("slack", "email"),
                Set.of("slack", "email", "pagerduty"));
    }

    @Test
    void offByDefaultToEveryDefaultChannelWithFiveTms() {
        SummarySettings settings = read(Map.of());
        assertThat(settings.on()).isFalse();
        assertThat(settings.channels()).containsExactly("slack", "email");
        assertThat(settings.topTms()).isEqualTo(5);
    }

    @Test
    void aCronTurnsThemOnAndGoesToQuartzWithPlusForSpaces() {
        SummarySettings settings = read(Map.of("alert.summary-cron", "0 0 8 ? * MON",
                "alert.summary-channels", "email", "alert.summary-top-tms", "3"));
        assertThat(settings.on()).isTrue();
        assertThat(settings.cronForUri()).isEqualTo("0+0+8+?+*+MON");
        assertThat(settings.channels()).containsExactly("email");
        assertThat(settings.topTms()).isEqualTo(3);
    }

    @Test
    void aWrongValueIsOneLineNamingItsKey() {
        assertThatThrownBy(() -> read(Map.of("alert.summary-cron", "every monday")))
                .hasMessageStartingWith("alert.summary-cron 'every monday' is not a Quartz cron expression");
        assertThatThrownBy(() -> read(Map.of("alert.summary-channels", "teams")))
                .hasMessageStartingWith("alert.summary-channels names channel 'teams', which is not configured");
        assertThatThrownBy(() -> read(Map.of("alert.summary-top-tms", "0")))
                .hasMessage("alert.summary-top-tms '0' is not a whole number of at least 1");
    }
}
