package io.github.phrasetmmonitor.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.silence.Silence;
import io.github.phrasetmmonitor.silence.SilenceStore;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.StateUnavailableException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ad-hoc silences of a cluster: table {@code silences}, one row per silence with its JSON. Every node reads them
 * (at most once a second, see {@code Silences}), so a silence added on one node, or by the command beside any of
 * them, holds on all.
 */
public final class PostgresSilences implements SilenceStore {

    private final ClusterDatabase database;
    private final ObjectMapper json = IncidentState.mapper();

    public PostgresSilences(ClusterDatabase database) {
        this.database = database;
    }

    @Override
    public List<Silence> all() {
        List<Silence> silences = new ArrayList<>();
        try (Connection connection = database.connection();
             PreparedStatement select = connection.prepareStatement("SELECT line FROM silences");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                read(rows.getString(1)).ifPresent(silences::add);
            }
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot read the silences: " + Sql.reason(e), e);
        }
        silences.sort(java.util.Comparator.comparing(Silence::createdAt,
                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        return silences;
    }

    @Override
    public void add(Silence silence) {
        write(silence, "INSERT INTO silences (id, line) VALUES (?, ?)");
    }

    @Override
    public Optional<Silence> expire(String id, Instant at) {
        Optional<Silence> known = all().stream().filter(silence -> silence.id().equals(id)).findFirst();
        if (known.isEmpty() || known.get().expiredAt() != null) {
            return known;
        }
        Silence expired = known.get().expired(at);
        write(expired, "UPDATE silences SET line = ? WHERE id = ?");
        return Optional.of(expired);
    }

    private void write(Silence silence, String sql) {
        try (Connection connection = database.connection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            String line = json.writeValueAsString(silence);
            if (sql.startsWith("INSERT")) {
                statement.setString(1, silence.id());
                statement.setString(2, line);
            } else {
                statement.setString(1, line);
                statement.setString(2, silence.id());
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot write the silences: " + Sql.reason(e), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write silence " + silence.id(), e);
        }
    }

    private Optional<Silence> read(String line) {
        try {
            return Optional.of(json.readValue(line, Silence.class));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return "table silences of " + database.settings().jdbcUrl() + " schema " + database.settings().schema();
    }
}
