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

    /** Cluster mode's settings, checked; every problem at once in one {@link InvalidSettingsException}. */
    public static Optional<ClusterSettings> from(SettingsSource source) {
        SettingsReader reader = new SettingsReader(source);
        Optional<ClusterSettings> settings = read(reader);
        reader.requireNoProblems(SettingsOrigins.none());
        return settings;
    }

    /** Reads cluster mode's settings, noting each problem in {@code reader}; empty when off or wrong. */
    public static Optional<ClusterSettings> read(SettingsReader reader) {
        Optional<String> url = reader.value("cluster.jdbc-url");
        String schema = reader.text("cluster.schema");
        if (!SCHEMA.matcher(schema).matches()) {
            reader.problem("cluster.schema '" + schema + "' is not a plain lower-case schema name", "cluster.schema");
        }
        Duration checkin = reader.duration("cluster.checkin-interval");
        Duration claimLease = reader.duration("cluster.claim-lease");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        // the URL is printed in the start-up summary and in messages: a password in it would be too
        if (url.get().toLowerCase(java.util.Locale.ROOT).contains("password")) {
            reader.problem("cluster.jdbc-url must not hold the password: set it in the environment as"
                    + " CLUSTER_PASSWORD (cluster.password)", "cluster.jdbc-url");
            return Optional.empty();
        }
        if (!url.get().startsWith("jdbc:postgresql:")) {
            reader.problem("cluster.jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/database),"
                    + " not '" + url.get().replaceAll("[?].*", "") + "'", "cluster.jdbc-url");
            return Optional.empty();
        }
        return Optional.of(new ClusterSettings(url.get(), reader.text("cluster.user"), reader.text("cluster.password"),
                schema, reader.value("cluster.node-name").orElseGet(ClusterSettings::defaultNodeName), checkin,
                claimLease));
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
