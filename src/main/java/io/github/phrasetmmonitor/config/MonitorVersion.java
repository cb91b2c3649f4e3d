package io.github.phrasetmmonitor.config;

/** The version Maven wrote into the jar's manifest; "dev" when run from classes. */
public final class MonitorVersion {

    private MonitorVersion() {
    }

    public static String current() {
        String version = MonitorVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
