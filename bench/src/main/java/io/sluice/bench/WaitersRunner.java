package io.sluice.bench;

import io.sluice.bench.intake.PlatformProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 11's waiting clients on {@code sluice local} ({@code waiters}): {@code n} deferred jobs
 * (they wait for a provider batch, so they stay unfinished), then one long poll ({@code GET
 * /v1/jobs/{id}?wait=60s}) and one event stream ({@code GET /v1/jobs/{id}/events}) on each, all
 * open at once. While they wait, the platform's threads, resident memory and open descriptors are
 * sampled from {@code /proc}; then every job is cancelled and each client's answer is timed from
 * its job's cancel request. The platform is the real {@code sluice local} in a child JVM, as in the
 * intake scenario.
 */
final class WaitersRunner {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration HOLD = Duration.ofSeconds(10);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]+)\"");

  private final int jobs;
  private final Path logDir;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private URI api;
  private String key;

  WaitersRunner(int jobs, Path logDir) {
    this.jobs = jobs;
    this.logDir = logDir;
  }

  /** One client's answer: HTTP status, the job's status in it, when it came (ns). */
  private record Answer(int httpStatus, String jobStatus, int events, long atNanos) {}

  Map<String, Object> run() throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scenario", BenchOptions.WAITERS);
    result.put("jobs", jobs);
    Path data = Files.createTempDirectory("sluice-waiters");
    try (PlatformProcess platform =
        PlatformProcess.start(data, logDir.resolve("sluice-local-waiters.log"))) {
      api = platform.awaitApi(START_TIMEOUT);
      key = platform.apiKey();
      System.out.println("  sluice local (pid " + platform.pid() + ") serves " + api);
      measure(platform.pid(), result);
      result.put("platform_exit_code", platform.stop());
    } finally {
      IntakeRunner.deleteRecursively(data);
    }
    return result;
  }

  private void measure(long pid, Map<String, Object> result) throws Exception {
    List<String> ids = submitDeferred();
    ProcessSample before = ProcessSample.of(pid);
    result.put("before_waiters", before);
    long opened = System.nanoTime();
    List<CompletableFuture<Answer>> polls = new ArrayList<>(jobs);
    List<CompletableFuture<Answer>> streams = new ArrayList<>(jobs);
    for (String id : ids) {
      polls.add(send(get("/v1/jobs/" + id + "?wait=60s")));
      streams.add(send(get("/v1/jobs/" + id + "/events")));
    }
    long connectedBy = awaitConnections(pid, before.descriptors() + 2L * jobs);
    result.put("connected_seconds", (connectedBy - opened) / 1e9);
    result.put("descriptors_added", ProcessSample.of(pid).descriptors() - before.descriptors());
    List<ProcessSample> held = new ArrayList<>();
    long holdUntil = System.nanoTime() + HOLD.toNanos();
    while (System.nanoTime() < holdUntil) {
      held.add(ProcessSample.of(pid));
      TimeUnit.MILLISECONDS.sleep(250);
    }
    result.put("while_waiting_peak", ProcessSample.peak(held));
    long answeredEarly =
        Stream.concat(polls.stream(), streams.stream()).filter(CompletableFuture::isDone).count();
    result.put("answered_before_cancel", answeredEarly);
    long[] cancelSent = cancelAll(ids);
    CompletableFuture.allOf(
            Stream.concat(polls.stream(), streams.stream()).toArray(CompletableFuture[]::new))
        .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    result.put("after_answers", ProcessSample.of(pid));
    result.put("long_polls", answers(polls, cancelSent));
    result.put("event_streams", answers(streams, cancelSent));
    System.out.println(summary(result));
  }

  private List<String> submitDeferred() throws Exception {
    Semaphore inFlight = new Semaphore(32);
    List<CompletableFuture<String>> created = new ArrayList<>(jobs);
    for (int i = 0; i < jobs; i++) {
      String body =
          "{\"model\":\"gpt-4o-mini\",\"mode\":\"deferred\",\"messages\":[{\"role\":\"user\","
              + "\"content\":\"reverse: waiting client "
              + i
              + "\"}]}";
      inFlight.acquire();
      created.add(
          http.sendAsync(
                  request("/v1/jobs")
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete((r, e) -> inFlight.release())
              .thenApply(WaitersRunner::createdId));
    }
    List<String> ids = new ArrayList<>(jobs);
    for (CompletableFuture<String> id : created) {
      ids.add(id.get(60, TimeUnit.SECONDS));
    }
    return ids;
  }

  private static String createdId(HttpResponse<String> response) {
    Matcher id = ID.matcher(response.body());
    if (response.statusCode() != 202 || !id.find()) {
      throw new IllegalStateException("submission answered " + response.statusCode());
    }
    return id.group(1);
  }

  private long[] cancelAll(List<String> ids) throws Exception {
    long[] sent = new long[ids.size()];
    Semaphore inFlight = new Semaphore(32);
    List<CompletableFuture<HttpResponse<Void>>> cancels = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      inFlight.acquire();
      sent[i] = System.nanoTime();
      cancels.add(
          http.sendAsync(
                  request("/v1/jobs/" + ids.get(i) + "/cancel")
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .whenComplete((r, e) -> inFlight.release()));
    }
    for (CompletableFuture<HttpResponse<Void>> cancel : cancels) {
      int status = cancel.get(60, TimeUnit.SECONDS).statusCode();
      if (status != 202 && status != 200) {
        throw new IllegalStateException("cancel answered " + status);
      }
    }
    return sent;
  }

  private HttpRequest get(String path) {
    return request(path).timeout(Duration.ofSeconds(120)).GET().build();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(api.resolve(path)).header("Authorization", "Bearer " + key);
  }

  private CompletableFuture<Answer> send(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              long at = System.nanoTime();
              String body = response.body();
              Matcher status = STATUS.matcher(body);
              String last = null;
              while (status.find()) {
                last = status.group(1);
              }
              int events = (int) body.lines().filter(line -> line.startsWith("data:")).count();
              return new Answer(response.statusCode(), last, events, at);
            });
  }

  /**
   * Waits until the platform holds this many descriptors (the clients' sockets among them), or
   * until their number has not grown for 3 s; the count reached is part of the result either way.
   */
  private static long awaitConnections(long pid, long descriptors) throws InterruptedException {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    long last = -1;
    long lastGrew = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = ProcessSample.of(pid).descriptors();
      if (now >= descriptors) {
        break;
      }
      if (now > last) {
        last = now;
        lastGrew = System.nanoTime();
      } else if (System.nanoTime() - lastGrew > Duration.ofSeconds(3).toNanos()) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return System.nanoTime();
  }

  private static Map<String, Object> answers(
      List<CompletableFuture<Answer>> clients, long[] cancelSent) {
    Map<String, Integer> byStatus = new TreeMap<>();
    long[] latencies = new long[clients.size()];
    long events = 0;
    for (int i = 0; i < clients.size(); i++) {
      Answer answer = clients.get(i).join();
      byStatus.merge(answer.httpStatus() + " " + answer.jobStatus(), 1, Integer::sum);
      latencies[i] = Math.max(0, answer.atNanos() - cancelSent[i]);
      events += answer.events();
    }
    Arrays.sort(latencies);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("answers_by_http_and_job_status", byStatus);
    figures.put("cancel_to_answer_ms_p50", latencies[latencies.length / 2] / 1e6);
    figures.put("cancel_to_answer_ms_p99", latencies[(int) (latencies.length * 0.99)] / 1e6);
    figures.put("cancel_to_answer_ms_max", latencies[latencies.length - 1] / 1e6);
    figures.put("sse_data_events", events);
    return figures;
  }

  private static String summary(Map<String, Object> result) {
    return "  waiters: "
        + result.get("jobs")
        + " long polls + "
        + result.get("jobs")
        + " event streams; before "
        + result.get("before_waiters")
        + "; while waiting (peak) "
        + result.get("while_waiting_peak")
        + "; long polls "
        + result.get("long_polls")
        + "; streams "
        + result.get("event_streams");
  }

  /** Threads, resident memory and open descriptors of a process, from {@code /proc}. */
  record ProcessSample(int threads, long residentKib, long descriptors) {
    static ProcessSample of(long pid) {
      Path proc = Path.of("/proc", Long.toString(pid));
      try (Stream<String> lines = Files.lines(proc.resolve("status"));
          Stream<Path> fds = Files.list(proc.resolve("fd"))) {
        Map<String, String> status = new TreeMap<>();
        lines.forEach(
            line -> {
              int colon = line.indexOf(':');
              if (colon > 0) {
                status.put(line.substring(0, colon), line.substring(colon + 1).trim());
              }
            });
        return new ProcessSample(
            Integer.parseInt(status.get("Threads")),
            Long.parseLong(status.get("VmRSS").replace("kB", "").trim()),
            fds.count());
      } catch (IOException e) {
        throw new IllegalStateException("cannot read /proc of " + pid, e);
      }
    }

    static ProcessSample peak(List<ProcessSample> samples) {
      return new ProcessSample(
          samples.stream().mapToInt(ProcessSample::threads).max().orElse(0),
          samples.stream().mapToLong(ProcessSample::residentKib).max().orElse(0),
          samples.stream().mapToLong(ProcessSample::descriptors).max().orElse(0));
    }
  }
}
