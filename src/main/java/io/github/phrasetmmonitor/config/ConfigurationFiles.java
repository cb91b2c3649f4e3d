package io.github.phrasetmmonitor.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.main.DefaultRoutesCollector;
import org.apache.camel.spi.Resource;

/**
 * Ops' files as the running monitor reads them: the properties files of its property locations, the route files of
 * camel.main.routes-include-pattern (less the exclude pattern), the files of the templates directory and the silences
 * file. A reload
 * re-reads them; their digest tells which configuration is in force (and whether two nodes run the same).
 */
public final class ConfigurationFiles {

    private final CamelContext context;
    private final Path templatesDir;
    private final Path silencesFile;

    public ConfigurationFiles(CamelContext context, Path templatesDir, Path silencesFile) {
        this.context = context;
        this.templatesDir = templatesDir;
        this.silencesFile = silencesFile;
    }

    /** The maintenance windows (monitor.silences-file); it need not exist. */
    public Path silencesFile() {
        return silencesFile;
    }

    /** Ops' route files, by location: those a start loads after the engine's. */
    public List<Resource> routeFiles() {
        String include = context.getPropertiesComponent().resolveProperty("camel.main.routes-include-pattern")
                .orElse("");
        if (include.isBlank()) {
            return List.of();
        }
        String exclude = context.getPropertiesComponent().resolveProperty("camel.main.routes-exclude-pattern")
                .orElse(null);
        List<Resource> files = new ArrayList<>(new DefaultRoutesCollector()
                .findRouteResourcesFromDirectory(context, exclude, include));
        files.removeIf(file -> file.getLocation().startsWith("classpath:engine/"));
        files.sort(Comparator.comparing(Resource::getLocation));
        return files;
    }

    /** The properties files the settings are read from (the profile's first). */
    public List<Path> propertiesFiles() {
        List<Path> files = new ArrayList<>();
        for (String location : context.getPropertiesComponent().getLocations()) {
            String path = location.replaceFirst("^optional:", "");
            if (path.startsWith("file:")) {
                files.add(Path.of(path.substring("file:".length())));
            }
        }
        return files;
    }

    /** The files of the templates directory (and those below it), by path. */
    public List<Path> templateFiles() {
        if (!Files.isDirectory(templatesDir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(templatesDir)) {
            return paths.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a change of ops' files can happen: the directories of the files above. */
    public List<Path> directories() {
        List<Path> dirs = new ArrayList<>();
        propertiesFiles().forEach(file -> dirs.add(file.toAbsolutePath().getParent()));
        routeFiles().stream().map(Resource::getLocation).filter(location -> location.startsWith("file:"))
                .forEach(location -> dirs.add(Path.of(location.substring(5)).toAbsolutePath().getParent()));
        if (Files.isDirectory(templatesDir)) {
            dirs.add(templatesDir.toAbsolutePath());
        }
        if (silencesFile.toAbsolutePath().getParent() != null
                && Files.isDirectory(silencesFile.toAbsolutePath().getParent())) {
            dirs.add(silencesFile.toAbsolutePath().getParent());
        }
        return dirs.stream().map(Path::normalize).distinct().toList();
    }

    /**
     * A digest of ops' files as they are now (SHA-256 of their names and contents, the first 12 hex digits): equal on
     * two nodes that read the same files, different after any edit. The environment is not in it.
     */
    public String hash() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try {
            for (Path file : propertiesFiles()) {
                add(digest, file.getFileName().toString(), Files.isRegularFile(file) ? Files.readAllBytes(file)
                        : new byte[0]);
            }
            for (Resource file : routeFiles()) {
                try (InputStream in = file.getInputStream()) {
                    String location = file.getLocation();
                    add(digest, location.substring(location.lastIndexOf('/') + 1), in.readAllBytes());
                }
            }
            add(digest, silencesFile.getFileName().toString(), Files.isRegularFile(silencesFile)
                    ? Files.readAllBytes(silencesFile) : new byte[0]);
            for (Path file : templateFiles()) {
                add(digest, templatesDir.relativize(file).toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    }

    private static void add(MessageDigest digest, String name, byte[] content) {
        digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(Long.toString(content.length).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(content);
    }
}
