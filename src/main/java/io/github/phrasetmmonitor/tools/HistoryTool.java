package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.cluster.ClusterDatabase;
import io.github.phrasetmmonitor.cluster.PostgresIncidentLog;
import io.github.phrasetmmonitor.health.HistoryReport;
import io.github.phrasetmmonitor.settings.ClusterSettings;
import io.github.phrasetmmonitor.settings.SettingsOrigins;
import io.github.phrasetmmonitor.settings.SettingsReader;
import io.github.phrasetmmonitor.state.IncidentState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;

/**
 * {@code history <tm-uid>}, {@code history --incident <key>}, with {@code --since}/{@code --until}: what the monitor
 * decided about the incidents of a TM, one line per notice sent or held back (and why), oldest first. It reads the
 * state the monitor keeps (the journal file, or the cluster's database) as it is now, beside a running monitor, and
 * never writes it: the file is read, not rewritten.
 */
final class HistoryTool {

    /** The command line after {@code history}. */
    record Request(String tmUid, String incident, String since, String until) {

        static Optional<Request> parse(List<String> args) {
            String tm = null;
            String incident = null;
            String since = null;
            String until = null;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                boolean hasValue = i + 1 < args.size();
                switch (arg) {
                    case "--incident" -> {
                        if (!hasValue) {
                            return Optional.empty();
                        }
                        incident = args.get(++i);
                    }
                    case "--since" -> {
                        if (!hasValue) {
                            return Optional.empty();
                        }
                        since = args.get(++i);
                    }
                    case "--until" -> {
                        if (!hasValue) {
                            return Optional.empty();
                        }
                        until = args.get(++i);
                    }
                    default -> {
                        if (arg.startsWith("--") || tm != null) {
                            return Optional.empty();
                        }
                        tm = arg;
                    }
                }
            }
            return tm == null && incident == null ? Optional.empty()
                    : Optional.of(new Request(tm, incident, since, until));
        }
    }

    private final Deployment deployment;

    HistoryTool(Deployment deployment) {
        this.deployment = deployment;
    }

    int run(Request request, PrintStream out, PrintStream err) throws Exception {
        HistoryReport.Query query;
        try {
            query = new HistoryReport.Query(request.tmUid(), request.incident(),
                    HistoryReport.Query.instant("--since", request.since()),
                    HistoryReport.Query.instant("--until", request.until()));
        } catch (IllegalArgumentException e) {
            err.println("history: " + e.getMessage());
            return 2;
        }
        CamelContext context = deployment.offline();
        try {
            SettingsReader reader = new SettingsReader(Deployment.source(context.getPropertiesComponent()));
            IncidentState.HistoryBounds bounds = new IncidentState.HistoryBounds(reader.count("alert.history.size"),
                    reader.duration("alert.history.retention"));
            Path stateDir = deployment.resolve(reader.text("monitor.state-dir"));
            Optional<ClusterSettings> cluster = ClusterSettings.read(reader);
            reader.requireNoProblems(SettingsOrigins.none());
            HistoryReport.Answer answer;
            String where;
            if (cluster.isPresent()) {
                ClusterDatabase database = ClusterDatabase.open(cluster.get());
                try {
                    IncidentState state = new IncidentState(new PostgresIncidentLog(database), Clock.systemUTC(),
                            true, bounds);
                    state.start();
                    answer = HistoryReport.Answer.of(state, query);
                    where = "the cluster database " + cluster.get().jdbcUrl() + " schema " + cluster.get().schema();
                } finally {
                    database.stop();
                }
            } else {
                Path journal = stateDir.resolve(IncidentState.JOURNAL);
                IncidentState state = IncidentState.readOnly(journal, Clock.systemUTC(), bounds);
                state.start();
                answer = HistoryReport.Answer.of(state, query);
                where = journal.toString();
            }
            String about = request.tmUid() != null ? "TM " + request.tmUid() : "incident " + request.incident();
            if (answer.entries().isEmpty()) {
                out.println("No decision recorded for " + about + " in " + where + " (closed incidents are kept for"
                        + " alert.history.retention)");
                return 0;
            }
            out.println("Decisions for " + about + ", oldest first (" + where + "):");
            HistoryReport.lines(answer).forEach(line -> out.println("  " + line));
            if (answer.truncated()) {
                out.println("  (only the newest " + HistoryReport.MAX_ENTRIES + " are shown; narrow with --since)");
            }
            return 0;
        } finally {
            context.close();
        }
    }
}
