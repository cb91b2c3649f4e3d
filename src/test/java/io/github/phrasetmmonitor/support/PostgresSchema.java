package io.github.phrasetmmonitor.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A schema of its own for each test in the real PostgreSQL server (127.0.0.1:5432, database {@code test}, or
 * {@code TEST_POSTGRES_URL} / {@code TEST_POSTGRES_USER}), dropped afterwards, so tests never see each other's rows.
 * Without a server the test is skipped, saying why in one line; in CI ({@code CI=true}) it fails instead.
 */
public final class PostgresSchema implements BeforeEachCallback, AfterEachCallback {

    public static final String URL = System.getenv().getOrDefault("TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("TEST_POSTGRES_USER", "postgres");

    private String schema;

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String why = "PostgreSQL is not reachable at " + URL + " as " + USER + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + ": CI needs it (see the README)", e);
            }
            System.err.println("Skipping a PostgreSQL test: " + why);
            Assumptions.abort(why);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        if (schema == null) {
            return;
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    public String schema() {
        return schema;
    }

    /** The monitor's settings for cluster mode in this schema; {@code node} names the instance. */
    public Map<String, String> clusterSettings(String node) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("cluster.jdbc-url", URL);
        settings.put("cluster.user", USER);
        settings.put("cluster.schema", schema);
        settings.put("cluster.node-name", node);
        settings.put("cluster.checkin-interval", "1s");
        return settings;
    }

    /** The same as environment variables, for a monitor in a process of its own. */
    public Map<String, String> clusterEnvironment(String node) {
        Map<String, String> env = new LinkedHashMap<>();
        clusterSettings(node).forEach((key, value) -> env.put(key.toUpperCase().replace('.', '_').replace('-', '_'),
                value));
        return env;
    }

    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("connectTimeout", "3");
        Connection connection = DriverManager.getConnection(URL, properties);
        if (schema != null) {
            connection.setSchema(schema);
        }
        return connection;
    }
}
