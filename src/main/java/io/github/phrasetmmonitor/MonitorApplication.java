package io.github.phrasetmmonitor;

import io.github.phrasetmmonitor.config.MonitorMain;
import io.github.phrasetmmonitor.logging.StartupFailure;
import io.github.phrasetmmonitor.reload.MonitorReloads;
import io.github.phrasetmmonitor.tools.OperatorTools;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the monitor from the current directory: {@code application.properties} (and
 * {@code application-<profile>.properties} for {@code --profile <profile>}) and the YAML routes are read from there,
 * not from the jar, so ops edit them in place.
 */
public final class MonitorApplication {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorApplication.class);
    static final String PROFILE_ENV = "CAMEL_MAIN_PROFILE";

    private MonitorApplication() {
    }

    public static void main(String[] args) {
        if (OperatorTools.isTool(args)) {
            // validate, explain, test-alert: run once and exit with their verdict
            OperatorTools.quietLogs();
            System.exit(new OperatorTools().run(args, System.out, System.err));
        }
        Optional<String> profile = profileFrom(args);
        if (profile.isEmpty() && args.length > 0) {
            System.err.println("usage: java -jar phrase-tm-monitor.jar [--profile <name>]");
            System.err.println(OperatorTools.USAGE);
            System.exit(2);
        }
        try {
            Optional<String> chosen = profile.or(() -> Optional.ofNullable(System.getenv(PROFILE_ENV)));
            Main main = MonitorMain.create(chosen, Map.of());
            // SIGHUP, POST /-/reload and (if set) a changed file reload ops' files without a restart
            MonitorReloads.install(main, Path.of(""), chosen, Map.of());
            main.run();
            System.exit(main.getExitCode());
        } catch (Exception e) {
            String reason = StartupFailure.describe(e);
            LOG.error("phrase-tm-monitor cannot start: {}", reason);
            System.exit(1);
        }
    }

    static Optional<String> profileFrom(String[] args) {
        if (args.length == 2 && ("--profile".equals(args[0]) || "-profile".equals(args[0]))) {
            return Optional.of(args[1]);
        }
        return Optional.empty();
    }
}
