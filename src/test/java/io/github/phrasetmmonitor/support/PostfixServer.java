package io.github.phrasetmmonitor.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Postfix (the Debian package) on loopback, as mail admins run it, for the tests of what a real server's
 * policy does to the monitor's mail: an instance of its own (configuration, queue and log in a temporary directory,
 * {@code postfix -c DIR}), smtpd on a free port of 127.0.0.1, relaying what it takes on to {@code relayPort} (a
 * GreenMail the test reads). Its restrictions are the test's to set, also while it runs ({@link #change}).
 *
 * <p>Without {@code /usr/sbin/postfix} the test is skipped, saying so in one line; in CI ({@code CI=true}, as
 * {@code .ci/run} sets it, which installs the package) it fails instead, as {@link PostgresSchema} does. Postfix's
 * master runs as root, as it must.
 */
public final class PostfixServer implements AutoCloseable {

    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path POSTCONF = Path.of("/usr/sbin/postconf");
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path config;
    private final int port;
    private final Thread stopAtExit;

    private PostfixServer(Path dir, int port) {
        this.dir = dir;
        this.config = dir.resolve("conf");
        this.port = port;
        this.stopAtExit = new Thread(this::stopQuietly, "postfix-stop");
    }

    /** Skips the test (or fails it in CI) when Postfix is not installed. */
    public static void assumeInstalled() {
        if (Files.isExecutable(POSTFIX) && Files.isExecutable(POSTCONF)) {
            return;
        }
        String why = "Postfix is not installed (" + POSTFIX + "; apt-get install postfix)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(why + ": CI needs it (.ci/run installs it)");
        }
        System.err.println("Skipping a Postfix test: " + why);
        Assumptions.abort(why);
    }

    /**
     * Starts an instance that relays to 127.0.0.1:{@code relayPort}.
     *
     * @param settings main.cf settings over the defaults here (e.g. {@code mynetworks}, the HELO restrictions)
     */
    public static PostfixServer start(int relayPort, Map<String, String> settings) throws Exception {
        assumeInstalled();
        Path dir = Files.createTempDirectory("postfix-");
        // Postfix's daemons run as user postfix and must reach their queue and data directories
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        UserPrincipal postfixUser = dir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName("postfix");
        Files.setOwner(data, postfixUser);

        PostfixServer server = new PostfixServer(dir, FreePort.pick());
        Map<String, String> main = new LinkedHashMap<>();
        main.put("compatibility_level", "3.6");
        main.put("queue_directory", dir.resolve("queue").toString());
        main.put("data_directory", data.toString());
        main.put("inet_interfaces", "127.0.0.1");
        main.put("inet_protocols", "ipv4");
        main.put("myhostname", "postfix.test.invalid");
        main.put("mydestination", "");
        main.put("alias_maps", "");
        main.put("alias_database", "");
        main.put("local_recipient_maps", "");
        main.put("relayhost", "[127.0.0.1]:" + relayPort);
        main.put("smtp_dns_support_level", "disabled");
        main.put("smtp_tls_security_level", "none");
        main.put("smtpd_tls_security_level", "none");
        main.put("mynetworks", "127.0.0.0/8");
        // as a mail admin writes it: relay for mynetworks only, refused (5xx) for the others
        main.put("smtpd_relay_restrictions", "permit_mynetworks, reject_unauth_destination");
        main.put("maillog_file_prefixes", dir.toString());
        main.put("maillog_file", dir.resolve("maillog").toString());
        main.putAll(settings);
        StringBuilder mainCf = new StringBuilder();
        main.forEach((key, value) -> mainCf.append(key).append(" = ").append(value).append('\n'));
        Files.writeString(server.config.resolve("main.cf"), mainCf.toString());
        Files.writeString(server.config.resolve("master.cf"), masterCf(server.port));

        Runtime.getRuntime().addShutdownHook(server.stopAtExit);
        try {
            server.postfix("start");
            server.awaitListening();
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** No chroot (the queue is a temporary directory), smtpd on our port, the services relaying needs. */
    private static String masterCf(int port) {
        return String.join("\n",
                "127.0.0.1:" + port + " inet n - n - - smtpd",
                "cleanup unix n - n - 0 cleanup",
                "qmgr unix n - n 300 1 qmgr",
                "rewrite unix - - n - - trivial-rewrite",
                "bounce unix - - n - 0 bounce",
                "defer unix - - n - 0 bounce",
                "trace unix - - n - 0 bounce",
                "verify unix - - n - 1 verify",
                "flush unix n - n 1000? 0 flush",
                "proxymap unix - - n - - proxymap",
                "smtp unix - - n - - smtp",
                "relay unix - - n - - smtp",
                "showq unix n - n - - showq",
                "error unix - - n - - error",
                "retry unix - - n - - error",
                "discard unix - - n - - discard",
                "anvil unix - - n - 1 anvil",
                "scache unix - - n - 1 scache",
                "postlog unix-dgram n - n - 1 postlogd",
                "");
    }

    public int port() {
        return port;
    }

    /** Changes main.cf ({@code postconf -c DIR -e}) and has the running Postfix read it ({@code postfix reload}). */
    public void change(Map<String, String> settings) throws Exception {
        List<String> command = new ArrayList<>(List.of(POSTCONF.toString(), "-c", config.toString(), "-e"));
        settings.forEach((key, value) -> command.add(key + " = " + value));
        run(command);
        postfix("reload");
    }

    /** Postfix's own log of this instance: what smtpd answered and where the queue relayed to. */
    public String log() {
        try {
            Path log = dir.resolve("maillog");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private void postfix(String action) throws Exception {
        run(List.of(POSTFIX.toString(), "-c", config.toString(), action));
    }

    private void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_LIMIT);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            // postfix writes its fatal errors to syslog, which a container may lack: check says them on stderr
            throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                    + output + "\n" + log());
        }
    }

    /** master -w returns once its services are set up; smtpd's socket follows within moments. */
    private void awaitListening() {
        Awaitility.await("Postfix listening on 127.0.0.1:" + port).atMost(COMMAND_LIMIT)
                .pollInterval(Duration.ofMillis(100)).until(this::listening);
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private void stopQuietly() {
        try {
            postfix("stop");
        } catch (Exception e) {
            System.err.println("Stopping the test's Postfix: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook runs or ran
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a daemon that was slow to go may still write: a temporary directory is left behind
        }
    }
}
