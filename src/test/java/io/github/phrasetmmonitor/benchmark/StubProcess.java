package io.github.phrasetmmonitor.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The driver's handle on the {@link PhraseStubServer} JVM. */
final class StubProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private StubProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static StubProcess start(List<String> javaCommand, long latencyMillis, Path log) throws IOException {
        List<String> command = new java.util.ArrayList<>(javaCommand);
        command.add(PhraseStubServer.class.getName());
        command.add(Long.toString(latencyMillis));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter logOut = new PrintWriter(Files.newBufferedWriter(log), true);
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            logOut.println(line);
            if (line.startsWith(PhraseStubServer.READY)) {
                int port = Integer.parseInt(line.substring(PhraseStubServer.READY.length()).trim());
                Thread drain = new Thread(() -> {
                    try (out; logOut) {
                        for (String more = out.readLine(); more != null; more = out.readLine()) {
                            logOut.println(more);
                        }
                    } catch (IOException ended) {
                        // the stub is gone
                    }
                }, "stub-output");
                drain.setDaemon(true);
                drain.start();
                return new StubProcess(process, port);
            }
        }
        process.destroyForcibly();
        throw new IOException("the stub ended before it listened; see " + log);
    }

    String phraseBaseUrl() {
        return "http://127.0.0.1:" + port + "/web";
    }

    String slackUrl() {
        return "http://127.0.0.1:" + port + "/slack/hook";
    }

    void reset(int tms) throws IOException, InterruptedException {
        call("/__bench/reset?tms=" + tms);
    }

    /** As {@link #reset}, and the count of alerts over all of a subject's rounds starts again. */
    void startSubject(int tms) throws IOException, InterruptedException {
        call("/__bench/reset?subject=start&tms=" + tms);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> stats() throws IOException, InterruptedException {
        return JSON.readValue(call("/__bench/stats"), Map.class);
    }

    private String call(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException(path + " answered HTTP " + answer.statusCode());
        }
        return answer.body();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            call("/__bench/stop");
        } catch (IOException | InterruptedException alreadyGone) {
            // destroyed below anyway
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
