package io.github.phrasetmmonitor.reload;

import io.github.phrasetmmonitor.config.ConfigurationFiles;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What asks for a reload: SIGHUP, {@code POST /-/reload} on the management port, and, when
 * {@code monitor.reload-on-change} is true, a change of ops' files (debounced: the reload waits until the files have
 * been quiet for {@link #QUIET}). Reloads run one at a time on a thread of their own; a request while one is waiting
 * to run is the same request.
 */
public final class ReloadTriggers extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.reload");
    /** The path of the reload on the management port, as Prometheus and Alertmanager have it. */
    public static final String PATH = "/-/reload";
    /** How long ops' files must stay unchanged before a change reloads them (an editor writes in several steps). */
    static final Duration QUIET = Duration.ofMillis(1500);

    private final CamelContext context;
    private final ConfigurationReload reload;
    private final boolean watchFiles;
    private final AtomicBoolean queued = new AtomicBoolean();
    private ScheduledExecutorService reloads;
    private ExecutorService watching;
    private WatchService watcher;
    private SignalHandler previousHangUp;
    private ScheduledFuture<?> debounced;

    public ReloadTriggers(CamelContext context, ConfigurationReload reload, boolean watchFiles) {
        this.context = context;
        this.reload = reload;
        this.watchFiles = watchFiles;
    }

    @Override
    protected void doStart() throws Exception {
        reloads = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "config-reload");
        hangUp();
        managementPath();
        if (watchFiles) {
            watch();
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (previousHangUp != null) {
            Signal.handle(new Signal("HUP"), previousHangUp);
            previousHangUp = null;
        }
        if (watcher != null) {
            watcher.close();
        }
        if (watching != null) {
            context.getExecutorServiceManager().shutdownNow(watching);
        }
        if (reloads != null) {
            context.getExecutorServiceManager().shutdownGraceful(reloads);
        }
    }

    /** A reload on the reload thread, soon; one that is already waiting to run covers this request too. */
    public void request(String trigger) {
        if (queued.compareAndSet(false, true)) {
            reloads.execute(() -> {
                queued.set(false);
                reload.reload(trigger);
            });
        }
    }

    /**
     * SIGHUP, the Unix way to ask a daemon to read its configuration again. The JDK has no supported API to handle a
     * signal: sun.misc.Signal (module jdk.unsupported, kept in every JDK since 9 for this use) is the one way. Without
     * a handler, SIGHUP ends the JVM (running its shutdown hooks), the very restart a reload avoids. The handler runs
     * on the JVM's signal thread, so it only hands the reload over.
     */
    private void hangUp() {
        try {
            previousHangUp = Signal.handle(new Signal("HUP"), signal -> request("SIGHUP"));
            if (previousHangUp == SignalHandler.SIG_IGN) {
                // the JVM installs no handler for a signal the process was started with ignored (nohup does that)
                LOG.warn("SIGHUP is ignored by this process (it was started with SIGHUP ignored, as nohup does), so"
                        + " it cannot ask for a reload; use POST {} on the management port, or"
                        + " monitor.reload-on-change=true", PATH);
            }
        } catch (IllegalArgumentException e) {
            // the JVM runs with -Xrs, or the platform has no SIGHUP: POST /-/reload still works
            LOG.warn("SIGHUP cannot reload the configuration here ({}); use POST {} on the management port",
                    e.getMessage(), PATH);
        }
    }

    /** POST /-/reload on the management port: 200 when applied, 500 with one line per problem when refused. */
    private void managementPath() {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return; // no management server (camel.management.enabled=false): SIGHUP and the watcher remain
        }
        // the reload runs on the reload thread, not on Vert.x's workers (shared with the management server's own
        // paths); the answer is written back on the request's event loop once it is done
        server.getRouter().route(HttpMethod.POST, PATH).handler(request -> {
            io.vertx.core.Context eventLoop = io.vertx.core.Vertx.currentContext();
            java.util.concurrent.CompletableFuture.supplyAsync(() -> reload.reload("POST " + PATH), reloads)
                    .whenComplete((outcome, failure) -> eventLoop.runOnContext(done -> {
                        int status = failure == null && outcome.applied() ? 200 : 500;
                        request.response().setStatusCode(status)
                                .putHeader("Content-Type", "text/plain; charset=utf-8").end(answer(outcome, failure));
                    }));
        });
    }

    private static String answer(ConfigurationReload.Outcome outcome, Throwable failure) {
        if (failure != null) {
            return "reload failed: " + failure.getClass().getSimpleName() + "\n";
        }
        return outcome.applied()
                ? "configuration reloaded: " + outcome.hash() + " in force"
                + (outcome.needRestart().isEmpty() ? "" : "; these settings take a restart: "
                + String.join(", ", outcome.needRestart())) + "\n"
                : "reload refused; the configuration in force (" + outcome.hash() + ") stays:\n"
                + String.join("\n", outcome.problems()) + "\n";
    }

    /** The directories of ops' files, watched; a change reloads once the files are quiet, if they differ. */
    private void watch() throws IOException {
        ConfigurationFiles files = context.getRegistry().lookupByNameAndType("configurationFiles",
                ConfigurationFiles.class);
        watcher = FileSystems.getDefault().newWatchService();
        for (Path dir : files.directories()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        }
        LOG.info("monitor.reload-on-change: a change of ops' files in {} reloads the configuration",
                files.directories());
        watching = context.getExecutorServiceManager().newSingleThreadExecutor(this, "config-watch");
        watching.execute(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    key.pollEvents();
                    key.reset();
                    changed();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ClosedWatchServiceException e) {
                // stopped
            }
        });
    }

    private synchronized void changed() {
        Optional.ofNullable(debounced).ifPresent(pending -> pending.cancel(false));
        debounced = reloads.schedule(() -> {
            if (reload.filesChanged()) {
                reload.reload("a file changed");
            }
        }, QUIET.toMillis(), TimeUnit.MILLISECONDS);
    }
}
