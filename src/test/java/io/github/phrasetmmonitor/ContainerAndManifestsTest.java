package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.settings.Setting;
import io.github.phrasetmmonitor.settings.SettingsCatalog;
import io.github.phrasetmmonitor.support.FreePort;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Issue 12, item 6: the Dockerfile and the Kubernetes manifests under deploy/kubernetes. No image can be built or
 * pulled here, so this checks what can be checked: every file parses, and the ports, paths, environment names and
 * file names they use are those of the code (SettingsCatalog, Camel's management server, application.properties,
 * the pom, the files in routes/ and templates/), so renaming one of them fails here. The health check and the probes
 * are asked of a running monitor.
 */
class ContainerAndManifestsTest {

    private static final Path DEPLOY = Path.of("deploy", "kubernetes");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    // --- what the code uses ----------------------------------------------------------------------------------

    private static Properties shippedProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    /** Camel's management server's health path, unless application.properties moves it. */
    private static String healthPath() throws IOException {
        return shippedProperties().getProperty("camel.management.health-path",
                new HttpManagementServerConfigurationProperties(null).getHealthPath());
    }

    private static int managementPort() {
        return Integer.parseInt(SettingsCatalog.defaultOf("monitor.management-port"));
    }

    /** The jar maven builds: target/<finalName>.jar. */
    private static String jarPath() throws IOException {
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(finalName.find()).as("the pom names the jar").isTrue();
        return "target/" + finalName.group(1) + ".jar";
    }

    /** The directory the routes are read from, as application.properties says (file:routes/*.camel.yaml). */
    private static String routesDir() throws IOException {
        String pattern = shippedProperties().getProperty("camel.main.routes-include-pattern");
        Matcher dir = Pattern.compile("^file:([^/*]+)/\\*\\.camel\\.yaml$").matcher(pattern);
        assertThat(dir.matches()).as("routes-include-pattern %s", pattern).isTrue();
        return dir.group(1);
    }

    /** monitor.state-dir, relative to the working directory, as shipped. */
    private static String stateDir() throws IOException {
        String dir = SettingsCatalog.defaultOf("monitor.state-dir");
        assertThat(shippedProperties().getProperty("monitor.state-dir")).isEqualTo(dir);
        return dir.replaceFirst("^\\./", "");
    }

    private static List<String> fileNames(String dir, String glob) throws IOException {
        List<String> names = new ArrayList<>();
        try (var files = Files.newDirectoryStream(Path.of(dir), glob)) {
            files.forEach(file -> names.add(file.getFileName().toString()));
        }
        return names.stream().sorted().toList();
    }

    // --- the Dockerfile --------------------------------------------------------------------------------------

    record Instruction(String keyword, String arguments) {
    }

    private static final Set<String> DOCKERFILE_KEYWORDS = Set.of("FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV",
            "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK",
            "SHELL");

    /** The Dockerfile's instructions: comments dropped, continued lines joined; an unknown keyword fails. */
    private static List<Instruction> dockerfile() throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String whole = pending.toString();
            pending.setLength(0);
            String[] parts = whole.split("\\s+", 2);
            assertThat(DOCKERFILE_KEYWORDS).as("Dockerfile instruction in: %s", whole).contains(parts[0]);
            instructions.add(new Instruction(parts[0], parts.length > 1 ? parts[1] : ""));
        }
        assertThat(pending.toString()).as("no line left continued at the end").isEmpty();
        return instructions;
    }

    private static List<Instruction> all(List<Instruction> instructions, String keyword) {
        return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
    }

    private static String one(List<Instruction> instructions, String keyword) {
        List<Instruction> found = all(instructions, keyword);
        assertThat(found).as("one %s", keyword).hasSize(1);
        return found.get(0).arguments();
    }

    /** An exec form (a JSON array), e.g. of ENTRYPOINT or HEALTHCHECK's CMD. */
    private static List<String> execForm(String json) throws IOException {
        return JSON.readValue(json, new TypeReference<List<String>>() { });
    }

    /** HEALTHCHECK [options] CMD [...]: the command. */
    private static List<String> healthCheckCommand(List<Instruction> instructions) throws IOException {
        String healthCheck = one(instructions, "HEALTHCHECK");
        int cmd = healthCheck.indexOf("CMD ");
        assertThat(cmd).as("HEALTHCHECK has a CMD").isPositive();
        return execForm(healthCheck.substring(cmd + 4).strip());
    }

    @Test
    void theDockerfileParsesAndUsesTheJarFilesPortPathsAndStateDirOfTheCode() throws Exception {
        List<Instruction> docker = dockerfile();

        assertThat(one(docker, "FROM")).as("a JRE 17 base image").startsWith("eclipse-temurin:17").contains("jre");
        String workDir = one(docker, "WORKDIR");
        assertThat(workDir).startsWith("/");

        Map<String, String> copies = new LinkedHashMap<>();
        for (Instruction copy : all(docker, "COPY")) {
            String[] fromTo = copy.arguments().split("\\s+");
            assertThat(fromTo).as("COPY %s", copy.arguments()).hasSize(2);
            copies.put(fromTo[0], fromTo[1]);
        }
        String jar = jarPath();
        // ops' route files only: the engine's (routes/engine/) are in the jar, and a copy would be refused
        String routes = routesDir() + "/";
        String opsRoutes = routes + "*.camel.yaml";
        String templates = SettingsCatalog.defaultOf("alert.templates-dir") + "/";
        String silences = SettingsCatalog.defaultOf("monitor.silences-file");
        assertThat(copies.keySet()).containsExactlyInAnyOrder(jar, "application.properties", silences, opsRoutes,
                templates);
        assertThat(Path.of(silences)).as("shipped, inert: no window").isRegularFile();
        assertThat(copies).containsEntry(silences, "./" + silences);
        assertThat(Path.of("application.properties")).isRegularFile();
        assertThat(Path.of(routes)).isDirectory();
        assertThat(Path.of(templates)).isDirectory();
        // the monitor reads them from the working directory, under the same names
        String jarName = Path.of(jar).getFileName().toString();
        assertThat(copies).containsEntry(jar, "./" + jarName).containsEntry("application.properties",
                "./application.properties").containsEntry(opsRoutes, "./" + routes)
                .containsEntry(templates, "./" + templates);

        assertThat(execForm(one(docker, "ENTRYPOINT"))).containsSubsequence("java", "-jar", jarName);
        assertThat(execForm(one(docker, "VOLUME"))).containsExactly(workDir + "/" + stateDir());
        assertThat(one(docker, "USER")).as("not root").doesNotStartWith("root").doesNotStartWith("0:")
                .isNotEqualTo("0").matches("\\d+:\\d+");
        assertThat(one(docker, "EXPOSE")).isEqualTo(Integer.toString(managementPort()));

        String command = String.join(" ", healthCheckCommand(docker));
        String port = SettingsCatalog.find("monitor.management-port").orElseThrow().environmentName();
        assertThat(command).contains("${" + port + ":-" + managementPort() + "}")
                .contains("GET " + healthPath() + "/live ");

        // the build context holds just what is copied
        List<String> context = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(context.get(0)).isEqualTo("*");
        assertThat(context.subList(1, context.size())).containsExactlyInAnyOrderElementsOf(
                copies.keySet().stream().map(source -> "!" + source).toList());
    }

    // --- the Kubernetes manifests ----------------------------------------------------------------------------

    private static Map<String, Map<String, Object>> manifests() throws IOException {
        return manifests(DEPLOY);
    }

    /** Every document of every YAML file in {@code dir}, by kind (a parse error fails here). */
    private static Map<String, Map<String, Object>> manifests(Path dir) throws IOException {
        Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            Load yaml = new Load(LoadSettings.builder().setLabel(file.toString()).build());
            for (Object document : yaml.loadAllFromString(Files.readString(file))) {
                assertThat(document).as("%s holds objects", file).isInstanceOf(Map.class);
                Map<String, Object> manifest = map(document);
                assertThat(manifest).as("%s", file).containsKeys("apiVersion", "kind");
                assertThat(byKind.put((String) manifest.get("kind"), manifest)).as("one %s", manifest.get("kind"))
                        .isNull();
            }
        }
        return byKind;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static Object at(Map<String, Object> root, String... path) {
        Object node = root;
        for (String key : path) {
            node = map(node).get(key);
            assertThat(node).as(String.join(".", path)).isNotNull();
        }
        return node;
    }

    private static Map<String, Object> named(Object list, String name) {
        return list(list).stream().map(ContainerAndManifestsTest::map).filter(item -> name.equals(item.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no item named " + name + " in " + list));
    }

    /** The files a configMapGenerator entry lists, as the names they get in the ConfigMap (their base names). */
    private static List<String> generated(Map<String, Object> kustomization, String name, String under) {
        List<Object> files = list(named(kustomization.get("configMapGenerator"), name).get("files"));
        files.forEach(file -> assertThat((String) file).startsWith(under));
        return files.stream().map(file -> Path.of((String) file).getFileName().toString()).sorted().toList();
    }

    @Test
    void everyManifestParsesAndUsesThePortPathsFilesAndSecretNamesOfTheCode() throws Exception {
        Map<String, Map<String, Object>> manifests = manifests();
        assertThat(manifests).containsOnlyKeys("Kustomization", "StatefulSet", "Service");
        List<Instruction> docker = dockerfile();
        String workDir = one(docker, "WORKDIR");

        // the kustomization: its resources exist, and the ConfigMaps hold exactly the files the monitor reads
        Map<String, Object> kustomization = manifests.get("Kustomization");
        for (Object resource : list(kustomization.get("resources"))) {
            assertThat(DEPLOY.resolve((String) resource)).isRegularFile();
        }
        assertThat(generated(kustomization, "phrase-tm-monitor-config", "config/"))
                .containsExactly("application.properties", SettingsCatalog.defaultOf("monitor.silences-file"));
        assertThat(generated(kustomization, "phrase-tm-monitor-routes", "config/" + routesDir() + "/"))
                .as("every route file, by name").isEqualTo(fileNames(routesDir(), "*.camel.yaml"));
        String templates = SettingsCatalog.defaultOf("alert.templates-dir");
        assertThat(generated(kustomization, "phrase-tm-monitor-templates", "config/" + templates + "/"))
                .as("every template, by name").isEqualTo(fileNames(templates, "*.yaml"));
        assertThat(list(named(kustomization.get("secretGenerator"), "phrase-tm-monitor-secrets").get("envs")))
                .containsExactly("config/secrets.env");
        assertThat(Files.readString(Path.of(".gitignore")).lines()).as("the secrets never land in git")
                .contains("deploy/kubernetes/config/");

        // the secrets: exactly the secret settings, under the environment names Camel resolves
        Set<String> secretNames = new TreeSet<>();
        for (String line : Files.readAllLines(DEPLOY.resolve("secrets.env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertThat(line).as("NAME= lines").endsWith("=");
                secretNames.add(line.substring(0, line.indexOf('=')));
            }
        }
        Set<String> declared = SettingsCatalog.ALL.stream().filter(Setting::secret)
                .map(Setting::environmentName).collect(Collectors.toCollection(TreeSet::new));
        declared.addAll(channelSecrets());
        String namedWebhook = SettingsCatalog.environmentName(SettingsCatalog.NAMED_WEBHOOK_PREFIX);
        assertThat(secretNames).containsAll(declared);
        assertThat(secretNames).allSatisfy(name -> assertThat(declared.contains(name)
                || name.startsWith(namedWebhook) && name.length() > namedWebhook.length()).as(name).isTrue());

        // the StatefulSet: one pod, the management port and the probes, the files where the monitor reads them
        Map<String, Object> statefulSet = manifests.get("StatefulSet");
        assertThat(at(statefulSet, "spec", "replicas")).isEqualTo(1);
        Map<String, Object> pod = map(at(statefulSet, "spec", "template", "spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        assertThat(container.get("workingDir")).isEqualTo(workDir);
        Map<String, Object> port = named(container.get("ports"), "management");
        assertThat(port.get("containerPort")).isEqualTo(managementPort());
        for (String probe : List.of("startupProbe", "livenessProbe")) {
            assertThat(at(container, probe, "httpGet", "path")).as(probe).isEqualTo(healthPath() + "/live");
            assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo("management");
        }
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo(healthPath() + "/ready");
        assertThat(at(container, "readinessProbe", "httpGet", "port")).isEqualTo("management");
        assertThat(at(map(list(container.get("envFrom")).get(0)), "secretRef", "name"))
                .isEqualTo("phrase-tm-monitor-secrets");

        Map<String, String> mounts = new LinkedHashMap<>();
        Map<String, String> subPaths = new LinkedHashMap<>();
        for (Object mount : list(container.get("volumeMounts"))) {
            String path = (String) map(mount).get("mountPath");
            if (map(mount).get("subPath") != null) {
                subPaths.put(path, map(mount).get("name") + ":" + map(mount).get("subPath"));
            } else {
                mounts.put((String) map(mount).get("name"), path);
            }
        }
        assertThat(mounts).containsEntry("state", workDir + "/" + stateDir())
                .containsEntry("routes", workDir + "/" + routesDir())
                .containsEntry("templates", workDir + "/" + templates);
        String silences = SettingsCatalog.defaultOf("monitor.silences-file");
        assertThat(subPaths).as("the config map's files, each where the monitor reads it")
                .containsOnly(Map.entry(workDir + "/application.properties", "config:application.properties"),
                        Map.entry(workDir + "/" + silences, "config:" + silences));
        assertThat(execForm(one(docker, "VOLUME"))).containsExactly(mounts.get("state"));
        for (String volume : List.of("config", "routes", "templates")) {
            assertThat(at(named(pod.get("volumes"), volume), "configMap", "name"))
                    .isEqualTo("phrase-tm-monitor-" + volume);
        }
        assertThat(at(map(list(at(statefulSet, "spec", "volumeClaimTemplates")).get(0)), "metadata", "name"))
                .isEqualTo("state");

        // the same non-root user as the image; time to stop within camel.main.shutdown-timeout
        String[] user = one(docker, "USER").split(":");
        assertThat(at(pod, "securityContext", "runAsUser")).isEqualTo(Integer.parseInt(user[0]));
        assertThat(at(pod, "securityContext", "fsGroup")).isEqualTo(Integer.parseInt(user[1]));
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        int shutdown = Integer.parseInt(shippedProperties().getProperty("camel.main.shutdown-timeout"));
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(shutdown);

        // the Service: the management port of the same pods
        Map<String, Object> service = manifests.get("Service");
        Map<String, Object> servicePort = named(at(service, "spec", "ports"), "management");
        assertThat(servicePort.get("port")).isEqualTo(managementPort());
        assertThat(servicePort.get("targetPort")).isEqualTo("management");
        assertThat(at(service, "spec", "selector")).isEqualTo(at(statefulSet, "spec", "selector", "matchLabels"));
        assertThat(at(statefulSet, "spec", "template", "metadata", "labels"))
                .isEqualTo(at(statefulSet, "spec", "selector", "matchLabels"));
        assertThat(at(statefulSet, "spec", "serviceName")).isEqualTo(at(service, "metadata", "name"));
    }

    /**
     * deploy/kubernetes/cluster: the base one level up with its StatefulSet swapped for a Deployment of several
     * replicas, which mounts the same files, probes the same paths and sets the cluster's settings under the
     * environment names the monitor reads.
     */
    @Test
    void theClusterVariantRunsSeveralReplicasOnTheBaseFilesWithTheClusterSettings() throws Exception {
        Path dir = DEPLOY.resolve("cluster");
        Map<String, Map<String, Object>> cluster = manifests(dir);
        assertThat(cluster).containsOnlyKeys("Kustomization", "Deployment");
        Map<String, Object> kustomization = cluster.get("Kustomization");
        assertThat(list(kustomization.get("resources"))).contains("../", "deployment.yaml");
        String patch = (String) map(list(kustomization.get("patches")).get(0)).get("patch");
        assertThat(patch).contains("$patch: delete", "kind: StatefulSet");

        Set<String> environment = new TreeSet<>();
        Map<String, Object> deployment = cluster.get("Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isGreaterThan(1);
        Map<String, Object> container = map(list(at(deployment, "spec", "template", "spec", "containers")).get(0));
        list(container.get("env")).forEach(variable -> environment.add((String) map(variable).get("name")));
        for (Object literal : list(named(kustomization.get("configMapGenerator"), "phrase-tm-monitor-cluster")
                .get("literals"))) {
            environment.add(((String) literal).substring(0, ((String) literal).indexOf('=')));
        }
        Set<String> clusterSettings = SettingsCatalog.ALL.stream().filter(setting -> setting.key()
                .startsWith("cluster.") && !setting.secret()).map(Setting::environmentName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(clusterSettings).containsAll(environment);
        assertThat(environment).contains(SettingsCatalog.find("cluster.jdbc-url").orElseThrow().environmentName(),
                SettingsCatalog.find("cluster.node-name").orElseThrow().environmentName());
        assertThat(Files.readAllLines(DEPLOY.resolve("secrets.env.example")))
                .contains(SettingsCatalog.find("cluster.password").orElseThrow().environmentName() + "=");

        Map<String, Object> single = map(list(at(manifests().get("StatefulSet"), "spec", "template", "spec",
                "containers")).get(0));
        for (String same : List.of("workingDir", "ports", "startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.get(same)).as(same).isEqualTo(single.get(same));
        }
        List<Object> mounts = new ArrayList<>(list(container.get("volumeMounts")));
        List<Object> singleMounts = new ArrayList<>(list(single.get("volumeMounts")));
        mounts.removeIf(mount -> "scratch".equals(map(mount).get("name")));
        singleMounts.removeIf(mount -> "state".equals(map(mount).get("name")));
        assertThat(mounts).as("the same files where the monitor reads them").isEqualTo(singleMounts);
    }

    // --- asked of a running monitor --------------------------------------------------------------------------

    @Test
    void theHealthCheckAndTheProbesAnswerOnARunningMonitor() throws Exception {
        List<Instruction> docker = dockerfile();
        Map<String, Object> container = map(list(at(manifests().get("StatefulSet"), "spec", "template", "spec",
                "containers")).get(0));
        bed.phrase().loginIssues("token-1").translationMemory("tmOk", "Fine EN-DE").lastTask("tmOk", ok("task-1"));
        Map<String, String> settings = bed.settingsWatching("tmOk");
        int port = Integer.parseInt(settings.get("monitor.management-port"));
        String base = "http://127.0.0.1:" + port;

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            assertThat(monitor.awaitRounds(1, 30)).isTrue();
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                String path = (String) at(container, probe, "httpGet", "path");
                // a probe that cannot connect or times out is asked again, as the kubelet does (failureThreshold):
                // on a starved machine the JDK client's connect timeout surfaced as a bare ConnectException
                await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(UncheckedIOException.class)
                        .untilAsserted(() -> assertThat(Management.get(base + path).status())
                                .as(probe + " " + path).isEqualTo(200));
            }
            assertThat(healthCheck(docker, port)).as("the image's HEALTHCHECK, run by bash as Docker would")
                    .isZero();
        }
        assertThat(healthCheck(docker, FreePort.pick())).as("nothing listening: unhealthy").isNotZero();
    }

    /** Runs the Dockerfile's HEALTHCHECK command with the environment the container would give it. */
    private static int healthCheck(List<Instruction> docker, int port) throws Exception {
        ProcessBuilder command = new ProcessBuilder(healthCheckCommand(docker)).redirectErrorStream(true);
        command.environment().put(SettingsCatalog.find("monitor.management-port").orElseThrow().environmentName(),
                Integer.toString(port));
        Process process = command.start();
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the health check did not end within 20 s (Docker's timeout is 5 s)");
        }
        return process.exitValue();
    }

    /**
     * The secrets the channel files declare (routes/engine/channel-*.camel.yaml: a parameter whose description starts with
     * "Secret"), under the environment names Camel resolves for alert.<channel>.<parameter>.
     */
    private static Set<String> channelSecrets() throws Exception {
        Set<String> secrets = new TreeSet<>();
        try (var files = Files.newDirectoryStream(Path.of("routes", "engine"), "channel-*.camel.yaml")) {
            for (Path file : files) {
                for (Object entry : (List<?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file))) {
                    Object template = ((Map<?, ?>) entry).get("routeTemplate");
                    if (!(template instanceof Map<?, ?> declared) || declared.get("parameters") == null) {
                        continue;
                    }
                    for (Object parameter : (List<?>) declared.get("parameters")) {
                        Map<?, ?> p = (Map<?, ?>) parameter;
                        if (String.valueOf(p.get("description")).startsWith("Secret")) {
                            secrets.add(("ALERT_" + declared.get("id") + "_" + p.get("name")).toUpperCase()
                                    .replace('-', '_'));
                        }
                    }
                }
            }
        }
        return secrets;
    }
}
