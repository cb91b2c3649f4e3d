package io.github.phrasetmmonitor.benchmark;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.classify.TaskClassifier;
import io.github.phrasetmmonitor.classify.TaskOutcome;
import io.github.phrasetmmonitor.model.BackgroundTasksTmDto;
import io.github.phrasetmmonitor.model.PageDtoTransMemoryDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import io.github.phrasetmmonitor.phrase.RequestBudget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark subject 2, the smallest honest baseline: the same round written as a plain Java loop on
 * {@link HttpClient} and Jackson, without Camel. It makes the same requests with the same concurrency and pacing:
 * the TM list page by page (one at a time, as the monitor's discovery loop does), then {@code lastBackgroundTask}
 * of every TM listed, {@code concurrency} at a time. It paces with the monitor's own {@link RequestBudget} class (a
 * semaphore and an evenly spaced slot clock), so both subjects are held to the identical budget. Each answer is
 * unmarshalled with Jackson into the project's model records and classified with the project's
 * {@link TaskClassifier}; a FAILED task is posted to the Slack sink as a small JSON message and logged, as the monitor
 * posts and logs its alert, once: an in-memory set of alerted tasks stands in for the monitor's alert ledger
 * (which also writes a journal file). It does not compose Block Kit messages.
 *
 * <p>Usage: {@code BaselineSubject <tms> <rounds> <phrase-base-url> <slack-url> <requests-per-minute> <concurrency>}.
 */
public final class BaselineSubject {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.baseline");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final URI slack;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final RequestBudget budget;
    private final TaskClassifier classifier = new TaskClassifier(List.of("ERROR", "FAILED", "FAILURE"));
    private final AtomicLongArray outcomes = new AtomicLongArray(TaskOutcome.values().length);
    private final AtomicInteger errors = new AtomicInteger();
    private final Set<String> alerted = ConcurrentHashMap.newKeySet();

    private BaselineSubject(String baseUrl, String slackUrl, int perMinute, int concurrency) {
        this.baseUrl = baseUrl;
        this.slack = URI.create(slackUrl);
        this.budget = new RequestBudget(perMinute, concurrency, Clock.systemUTC());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    public static void main(String[] args) {
        SubjectLife.run(() -> rounds(args));
    }

    private static void rounds(String[] args) throws Exception {
        ProcessProbe probe = ProcessProbe.install();
        int tms = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[5]);
        BaselineSubject baseline = new BaselineSubject(args[2], args[3], Integer.parseInt(args[4]), concurrency);
        RoundMeter meter = new RoundMeter(probe);

        List<TransMemoryDto> watched = List.of();
        for (int round = 1; round <= rounds; round++) {
            meter.begin();
            watched = baseline.listAll();
            baseline.pollAll(watched, concurrency);
            meter.report(meter.end(), rounds);
        }

        Map<String, Integer> counts = new LinkedHashMap<>();
        for (TaskOutcome outcome : TaskOutcome.values()) {
            counts.put(outcome.name(), (int) baseline.outcomes.get(outcome.ordinal()));
        }
        counts.put("errors", baseline.errors.get());
        counts.put("listed", watched.size());
        System.out.println(meter.result("baseline", tms, counts).line());
        System.out.flush();
        System.exit(0);
    }

    /** Every TM of the account, a page of 50 at a time. */
    private List<TransMemoryDto> listAll() throws Exception {
        List<TransMemoryDto> all = new ArrayList<>();
        int totalPages = 1;
        for (int page = 0; page < totalPages; page++) {
            HttpResponse<String> answer = get("/api2/v1/transMemories?pageNumber=" + page + "&pageSize=50");
            if (answer.statusCode() != 200) {
                throw new IOException("TM list page " + page + " answered HTTP " + answer.statusCode());
            }
            PageDtoTransMemoryDto dto = mapper.readValue(answer.body(), PageDtoTransMemoryDto.class);
            all.addAll(dto.content());
            totalPages = dto.content().isEmpty() ? page : dto.totalPages() == null ? page + 1 : dto.totalPages();
        }
        return all;
    }

    /** {@code concurrency} workers take the next TM until none is left. */
    private void pollAll(List<TransMemoryDto> watched, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            running.add(workers.submit(() -> {
                for (int i = next.getAndIncrement(); i < watched.size(); i = next.getAndIncrement()) {
                    poll(watched.get(i));
                }
                return null;
            }));
        }
        for (Future<?> worker : running) {
            worker.get();
        }
        workers.shutdown();
    }

    private void poll(TransMemoryDto tm) throws InterruptedException {
        try {
            HttpResponse<String> answer = get("/api2/v1/transMemories/" + tm.uid() + "/lastBackgroundTask");
            int status = answer.statusCode();
            if (status != 200 && status != 204 && status != 404) {
                throw new IOException("HTTP " + status);
            }
            BackgroundTasksTmDto task = status == 200 && !answer.body().isBlank()
                    ? mapper.readValue(answer.body(), BackgroundTasksTmDto.class) : null;
            TaskOutcome outcome = classifier.outcomeOf(task);
            outcomes.incrementAndGet(outcome.ordinal());
            if (outcome == TaskOutcome.FAILED) {
                String key = tm.uid() + ":" + (task.asyncRequest() == null ? "?" : task.asyncRequest().id());
                if (alerted.add(key)) {
                    try {
                        alert(tm, task);
                    } catch (IOException e) {
                        alerted.remove(key);
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            errors.incrementAndGet();
            LOG.warn("TM {} skipped this round: {}", tm.uid(), e.getMessage());
        }
    }

    private void alert(TransMemoryDto tm, BackgroundTasksTmDto task) throws IOException, InterruptedException {
        String taskId = task.asyncRequest() == null ? "?" : task.asyncRequest().id();
        String text = "Phrase TM task failed: " + tm.displayName() + " (" + tm.uid() + "), task " + taskId;
        HttpRequest post = HttpRequest.newBuilder(slack).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(Map.of("text", text)),
                        StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> answer = http.send(post, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("Slack answered HTTP " + answer.statusCode());
        }
        LOG.info("Slack alert sent: TM {} task {} failed", tm.uid(), taskId);
    }

    /** One GET within the request budget; the budget's slot is held until the whole body has been read. */
    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(TIMEOUT)
                .header("Authorization", "ApiToken " + PhraseStubServer.TOKEN)
                .header("Accept", "application/json")
                .GET().build();
        budget.acquire();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } finally {
            budget.release();
        }
    }
}
