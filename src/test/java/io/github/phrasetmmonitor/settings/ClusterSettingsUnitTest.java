package io.github.phrasetmmonitor.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterSettingsUnitTest {

    private static SettingsSource source(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    @Test
    void offUnlessAJdbcUrlIsSet() {
        assertThat(ClusterSettings.from(source(Map.of()))).isEmpty();
        assertThat(ClusterSettings.from(source(Map.of("cluster.jdbc-url", "  ")))).isEmpty();
    }

    @Test
    void theDeclaredDefaultsAndANodeNameUniquePerProcess() {
        ClusterSettings settings = ClusterSettings.from(source(Map.of(
                "cluster.jdbc-url", "jdbc:postgresql://db:5432/monitor", "cluster.password", "s3cret"))).orElseThrow();
        assertThat(settings.schema()).isEqualTo("phrase_tm_monitor");
        assertThat(settings.checkinInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.claimLease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.roundLease()).isEqualTo(Duration.ofSeconds(6));
        assertThat(settings.nodeName()).endsWith("-" + ManagementFactory.getRuntimeMXBean().getPid());
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> ClusterSettings.from(source(Map.of(
                "cluster.jdbc-url", "jdbc:postgresql://db/monitor?user=m&password=hunter2"))))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("CLUSTER_PASSWORD")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void anotherDatabaseOrABadSchemaIsRefused() {
        assertThatThrownBy(() -> ClusterSettings.from(source(Map.of("cluster.jdbc-url", "jdbc:mysql://db/monitor"))))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("PostgreSQL");
        assertThatThrownBy(() -> ClusterSettings.from(source(Map.of("cluster.jdbc-url", "jdbc:postgresql://db/m",
                "cluster.schema", "monitor; DROP TABLE x"))))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("cluster.schema");
        assertThatThrownBy(() -> ClusterSettings.from(source(Map.of("cluster.jdbc-url", "jdbc:postgresql://db/m",
                "cluster.checkin-interval", "soon"))))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("cluster.checkin-interval");
    }
}
