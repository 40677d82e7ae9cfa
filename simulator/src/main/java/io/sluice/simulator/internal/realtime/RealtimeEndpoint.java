package io.sluice.simulator.internal.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.RequestLog;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.simulator.internal.answer.Answerer;
import io.sluice.simulator.internal.fault.DirectiveException;
import io.sluice.simulator.internal.fault.DirectiveParser;
import io.sluice.simulator.internal.fault.Fault;
import io.sluice.simulator.internal.fault.FaultInjector;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Ids;
import io.sluice.simulator.internal.http.Reply;
import io.sluice.simulator.internal.http.Request;
import io.sluice.simulator.internal.meter.MeterRecorder;
import io.sluice.simulator.internal.ratelimit.Decision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * One realtime call, the same way for every API: credentials, body, model, {@code #sim} faults,
 * rate limit, answer, meter, latency and delivery faults.
 */
public final class RealtimeEndpoint {
  private final Dialect dialect;
  private final SimulatorConfig config;
  private final Clock clock;
  private final FaultInjector faults;
  private final MeterRecorder meter;
  private final Supplier<LatencySettings> latency;
  private final RequestLog requests;

  public RealtimeEndpoint(
      Dialect dialect,
      SimulatorConfig config,
      FaultInjector faults,
      MeterRecorder meter,
      Supplier<LatencySettings> latency,
      RequestLog requests) {
    this.requests = requests;
    this.dialect = dialect;
    this.config = config;
    this.clock = config.clock();
    this.faults = faults;
    this.meter = meter;
    this.latency = latency;
  }

  /** Answers a realtime call whose path has no parameters. */
  public Reply handle(Request request) {
    return handle(request, List.of());
  }

  /** Answers a realtime call; {@code pathParams} are the route's path parameters. */
  public Reply handle(Request request, List<String> pathParams) {
    String requestId = Ids.next("req_");
    String model = null;
    try {
      dialect.authenticate(request);
      ChatRequest call = dialect.parse(readJson(request.body()), pathParams);
      model = call.model();
      if (!config.acceptsModel(model)) {
        throw dialect.modelNotFound(model);
      }
      requests.record(recorded(call));
      return answer(request, call).withHeader(dialect.requestIdHeader(), requestId);
    } catch (ApiError e) {
      meter.error(dialect.api(), model);
      Reply reply = dialect.error(e).withHeader(dialect.requestIdHeader(), requestId);
      return model != null && config.acceptsModel(model)
          ? reply.withHeaders(dialect.rateLimitHeaders(model, clock.instant()))
          : reply;
    }
  }

  private Reply answer(Request request, ChatRequest call) {
    DirectiveParser.Parsed parsed = parseDirective(call);
    Instant now = clock.instant();
    Fault fault =
        faults.decide(
            parsed.directive(), request.body(), now, dialect.overloadedStatus(), dialect.api());
    if (fault.isError()) {
      meter.error(dialect.api(), call.model());
      return injectedError(call, fault, now);
    }
    Decision decision = dialect.admit(call, now);
    if (!decision.admitted()) {
      meter.rateLimited(dialect.api(), call.model());
      return rejected(decision);
    }
    Completion completion =
        Completer.complete(
            call,
            parsed.prompt(),
            config.profile().enforcement(),
            parsed.directive().violatesSchema(call.answersSoFar()));
    Instant done = clock.instant();
    dialect.settle(call, decision, completion, done);
    meter.accepted(
        dialect.api(),
        call.model(),
        call.promptTokens(),
        completion.outputTokens(),
        call.maxTokens() == null ? 0 : call.maxTokens(),
        decision.reservation().inputTokens());
    Reply reply =
        Reply.json(200, dialect.successBody(call, completion, done))
            .withHeaders(dialect.rateLimitHeaders(call.model(), done))
            .withDelay(
                latency
                    .get()
                    .forCall(completion.outputTokens(), Answerer.seedOf(call.seedText()))
                    .plus(fault.hang()));
    return deliveryFaults(reply, fault);
  }

  private RequestLog.Call recorded(ChatRequest call) {
    return new RequestLog.Call(
        dialect.api(),
        call.model(),
        call.messages().stream().map(m -> new RequestLog.Message(m.role(), m.text())).toList());
  }

  private static DirectiveParser.Parsed parseDirective(ChatRequest call) {
    try {
      return DirectiveParser.parseConversation(call.messages(), call.lastUserText());
    } catch (DirectiveException e) {
      throw ApiError.badRequest(e.getMessage(), "messages");
    }
  }

  private Reply injectedError(ChatRequest call, Fault fault, Instant now) {
    String message =
        fault.errorStatus() == dialect.overloadedStatus()
            ? "The server is overloaded. Please try again later. (simulated)"
            : "The simulator was asked to fail this request with HTTP " + fault.errorStatus() + ".";
    ApiError error = new ApiError(fault.errorStatus(), fault.code(), message, null);
    return dialect
        .injectedError(error, fault.extraHeaders(), now)
        .withHeaders(dialect.rateLimitHeaders(call.model(), now))
        .withDelay(fault.hang());
  }

  private Reply rejected(Decision decision) {
    return dialect
        .error(dialect.rateLimited(decision))
        .withHeaders(decision.headers())
        .withHeaders(dialect.retryHeaders(decision.retryAfter()));
  }

  private static Reply deliveryFaults(Reply reply, Fault fault) {
    if (fault.reset()) {
      return reply.withDelivery(Reply.Delivery.RESET);
    }
    if (fault.truncated()) {
      return reply.withDelivery(Reply.Delivery.TRUNCATED);
    }
    if (fault.malformed()) {
      String body = new String(reply.body(), StandardCharsets.UTF_8);
      String broken = "{\"simulated\": \"malformed\", " + body.substring(0, body.length() / 2);
      return reply.withBody(broken.getBytes(StandardCharsets.UTF_8));
    }
    return reply;
  }

  /** Reads a JSON object body, or throws a 400 naming the problem. */
  public static JsonNode readJson(byte[] body) {
    if (body.length == 0) {
      throw ApiError.badRequest("The request body is empty; expected a JSON object.", null);
    }
    try {
      JsonNode node = Json.mapper().readTree(body);
      if (node == null || !node.isObject()) {
        throw ApiError.badRequest("The request body must be a JSON object.", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(
          "We could not parse the JSON body of your request: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw ApiError.badRequest("We could not read the body of your request.", null);
    }
  }
}
