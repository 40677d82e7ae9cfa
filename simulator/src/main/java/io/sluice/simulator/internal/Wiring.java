package io.sluice.simulator.internal;

import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.RequestLog;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.simulator.internal.anthropic.AnthropicBatches;
import io.sluice.simulator.internal.anthropic.AnthropicErrors;
import io.sluice.simulator.internal.anthropic.AnthropicMessages;
import io.sluice.simulator.internal.batch.FileStore;
import io.sluice.simulator.internal.fault.FaultInjector;
import io.sluice.simulator.internal.gemini.GeminiErrors;
import io.sluice.simulator.internal.gemini.GeminiGenerate;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Ids;
import io.sluice.simulator.internal.http.Reply;
import io.sluice.simulator.internal.http.Request;
import io.sluice.simulator.internal.http.Router;
import io.sluice.simulator.internal.meter.MeterJson;
import io.sluice.simulator.internal.meter.MeterRecorder;
import io.sluice.simulator.internal.openai.OpenAiBatches;
import io.sluice.simulator.internal.openai.OpenAiChat;
import io.sluice.simulator.internal.openai.OpenAiErrors;
import io.sluice.simulator.internal.openai.OpenAiFiles;
import io.sluice.simulator.internal.realtime.RealtimeEndpoint;
import java.util.Map;

/** Builds the simulator's parts from its configuration and routes paths to them. */
public final class Wiring implements AutoCloseable {
  private final SimulatorConfig config;
  private final MeterRecorder meter;
  private final FaultInjector faults;
  private final RequestLog requests = new RequestLog();
  private volatile LatencySettings latency;
  private final Router router = new Router();

  public Wiring(SimulatorConfig config) {
    this.config = config;
    this.meter = new MeterRecorder(config.clock());
    this.faults = new FaultInjector(config.faults());
    this.latency = config.latency();
    addRoutes();
  }

  private void addRoutes() {
    RealtimeEndpoint openAiChat =
        new RealtimeEndpoint(
            new OpenAiChat(config.profile(), config.clock(), config.apiKey()),
            config,
            faults,
            meter,
            this::latency,
            requests);
    router.add("POST", "/v1/chat/completions", (request, params) -> openAiChat.handle(request));
    RealtimeEndpoint anthropicMessages =
        new RealtimeEndpoint(
            new AnthropicMessages(config.profile(), config.clock(), config.apiKey()),
            config,
            faults,
            meter,
            this::latency,
            requests);
    router.add("POST", "/v1/messages", (request, params) -> anthropicMessages.handle(request));
    RealtimeEndpoint geminiGenerate =
        new RealtimeEndpoint(
            new GeminiGenerate(config.profile(), config.clock(), config.apiKey()),
            config,
            faults,
            meter,
            this::latency,
            requests);
    router.add(
        "POST",
        "/v1(?:beta)?/models/([^/:]+):generateContent",
        (request, params) -> geminiGenerate.handle(request, params));
    addOpenAiBatchRoutes();
    addAnthropicBatchRoutes();
    router.add(
        "GET",
        "/_sim/meter",
        (request, params) -> Reply.json(200, MeterJson.write(meter.snapshot())));
    router.add(
        "GET",
        "/_sim/requests",
        (request, params) -> Reply.json(200, Map.of("calls", requests.calls())));
    router.add("GET", "/_sim/health", (request, params) -> Reply.json(200, Map.of("status", "ok")));
  }

  private void addOpenAiBatchRoutes() {
    FileStore store = new FileStore();
    OpenAiFiles files = new OpenAiFiles(store, config.clock());
    OpenAiBatches batches = new OpenAiBatches(config, store, meter);
    String id = "/([A-Za-z0-9_-]+)";
    openAi("POST", "/v1/files", (r, p) -> files.upload(r));
    openAi("GET", "/v1/files", (r, p) -> files.list(r));
    openAi("GET", "/v1/files" + id, (r, p) -> files.retrieve(p.getFirst()));
    openAi("DELETE", "/v1/files" + id, (r, p) -> files.delete(p.getFirst()));
    openAi("GET", "/v1/files" + id + "/content", (r, p) -> files.content(p.getFirst()));
    openAi("POST", "/v1/batches", (r, p) -> batches.create(r));
    openAi("GET", "/v1/batches", (r, p) -> batches.list(r));
    openAi("GET", "/v1/batches" + id, (r, p) -> batches.retrieve(p.getFirst()));
    openAi("POST", "/v1/batches" + id + "/cancel", (r, p) -> batches.cancel(p.getFirst()));
  }

  private void addAnthropicBatchRoutes() {
    AnthropicBatches batches = new AnthropicBatches(config, meter);
    String base = "/v1/messages/batches";
    String id = "/([A-Za-z0-9_-]+)";
    anthropic("POST", base, (r, p) -> batches.create(r));
    anthropic("GET", base, (r, p) -> batches.list(r));
    anthropic("GET", base + id, (r, p) -> batches.retrieve(r, p.getFirst()));
    anthropic("DELETE", base + id, (r, p) -> batches.delete(p.getFirst()));
    anthropic("POST", base + id + "/cancel", (r, p) -> batches.cancel(r, p.getFirst()));
    anthropic("GET", base + id + "/results", (r, p) -> batches.results(p.getFirst()));
  }

  /** A route with OpenAI's bearer check, error format and request ID. */
  private void openAi(String method, String path, Router.Handler handler) {
    router.add(
        method,
        path,
        (request, params) -> {
          String requestId = Ids.next("req_");
          try {
            OpenAiChat.authenticate(request, config.apiKey());
            return handler.handle(request, params).withHeader("x-request-id", requestId);
          } catch (ApiError e) {
            return OpenAiErrors.reply(e).withHeader("x-request-id", requestId);
          }
        });
  }

  /** A route with Anthropic's key and version checks, error format and request ID. */
  private void anthropic(String method, String path, Router.Handler handler) {
    router.add(
        method,
        path,
        (request, params) -> {
          String requestId = Ids.next("req_");
          try {
            AnthropicMessages.authenticate(request, config.apiKey());
            return handler.handle(request, params).withHeader("request-id", requestId);
          } catch (ApiError e) {
            return AnthropicErrors.reply(e).withHeader("request-id", requestId);
          }
        });
  }

  public Router router() {
    return router;
  }

  /** The answer for an unknown path or method, in the format of the API the path belongs to. */
  public Reply notFound(Request request) {
    boolean known = router.knowsPath(request.path());
    int status = known ? 405 : 404;
    String message =
        known
            ? "Method " + request.method() + " is not allowed on " + request.path() + "."
            : "Invalid URL (" + request.method() + " " + request.path() + ")";
    if (request.path().startsWith("/v1beta/") || request.path().startsWith("/v1/models/")) {
      return GeminiErrors.reply(new ApiError(status, null, message, null));
    }
    if (request.path().startsWith("/v1/messages")) {
      return AnthropicErrors.reply(new ApiError(status, "not_found_error", message, null));
    }
    return OpenAiErrors.reply(new ApiError(status, null, message, null));
  }

  public RequestLog requests() {
    return requests;
  }

  public MeterRecorder meter() {
    return meter;
  }

  public FaultInjector faults() {
    return faults;
  }

  public LatencySettings latency() {
    return latency;
  }

  public void latency(LatencySettings settings) {
    this.latency = settings;
  }

  @Override
  public void close() {
    // batch processing runs lazily on reads; nothing to stop yet
  }
}
