package io.github.phrasetmmonitor.reload;

import io.github.phrasetmmonitor.settings.SettingsCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.main.Main;

/**
 * Reloads of the configuration for a monitor started from a deployment directory: once it runs, SIGHUP,
 * {@code POST /-/reload} on the management port and (with {@code monitor.reload-on-change}) a change of ops' files
 * reload it ({@link ConfigurationReload}).
 */
public final class MonitorReloads {

    private MonitorReloads() {
    }

    /**
     * @param dir       the deployment directory the monitor reads (the working directory)
     * @param overrides the settings given to the monitor beside its files, as to {@code MonitorMain.create}
     */
    public static void install(Main main, Path dir, Optional<String> profile, Map<String, String> overrides) {
        main.configure().addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) throws Exception {
                // once the routes run: a reload swaps them, and the management server is up
                context.addStartupListener(new StartupListener() {
                    @Override
                    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                        // the routes run; the management server too once Camel is fully started
                    }

                    @Override
                    public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted)
                            throws Exception {
                    ConfigurationReload reload = new ConfigurationReload(started, dir, profile, overrides,
                            Clock.systemUTC());
                    boolean watch = Boolean.parseBoolean(started.getPropertiesComponent()
                            .resolveProperty("monitor.reload-on-change")
                            .orElse(SettingsCatalog.defaultOf("monitor.reload-on-change")).trim());
                    started.getRegistry().bind("configurationReload", reload);
                    started.addService(new ReloadTriggers(started, reload, watch), true, true);
                    }
                });
            }
        });
    }
}
