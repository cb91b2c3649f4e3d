package io.github.phrasetmmonitor.settings;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cluster mode: several instances sharing their state in one PostgreSQL database. Off (empty) unless
 * {@code cluster.jdbc-url} is set.
 *
 * @param schema the schema holding the monitor's and Quartz's tables; each cluster (or test) its own
 */
public record ClusterSettings(String jdbcUrl, String user, String password, String schema, String nodeName,
                              Duration checkinInterval, Duration claimLease) {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public static Optional<ClusterSettings> from(SettingsSource source) {
        Optional<String> url = source.value("cluster.jdbc-url");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        // the URL is printed in the start-up summary and in messages: a password in it would be too
        if (url.get().toLowerCase(java.util.Locale.ROOT).contains("password")) {
            throw new InvalidSettingsException("cluster.jdbc-url must not hold the password: set it in the"
                    + " environment as CLUSTER_PASSWORD (cluster.password)");
        }
        if (!url.get().startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingsException("cluster.jdbc-url must be a PostgreSQL JDBC URL"
                    + " (jdbc:postgresql://host:5432/database), not '" + url.get().replaceAll("[?].*", "") + "'");
        }
        String schema = MonitorSettings.setting(source, "cluster.schema");
        if (!SCHEMA.matcher(schema).matches()) {
            throw new InvalidSettingsException("cluster.schema '" + schema + "' is not a plain lower-case schema name");
        }
        return Optional.of(new ClusterSettings(url.get(), source.valueOr("cluster.user", ""),
                source.valueOr("cluster.password", ""), schema,
                source.value("cluster.node-name").orElseGet(ClusterSettings::defaultNodeName),
                MonitorSettings.duration(source, "cluster.checkin-interval"),
                MonitorSettings.duration(source, "cluster.claim-lease")));
    }

    /** Host name and process id: unique per instance, even several on one machine. */
    static String defaultNodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** How long a round's lease lasts without renewal: a node frozen this long loses its round to another. */
    public Duration roundLease() {
        return checkinInterval.multipliedBy(3);
    }

    @Override
    public String toString() {
        return "ClusterSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=****, schema=" + schema
                + ", node=" + nodeName + "]";
    }
}
