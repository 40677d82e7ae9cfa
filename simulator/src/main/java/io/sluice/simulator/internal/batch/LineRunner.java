package io.sluice.simulator.internal.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.simulator.BatchSettings;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.simulator.internal.answer.Answerer;
import io.sluice.simulator.internal.fault.DirectiveException;
import io.sluice.simulator.internal.fault.DirectiveParser;
import io.sluice.simulator.internal.fault.SimDirective;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Ids;
import io.sluice.simulator.internal.realtime.ChatRequest;
import io.sluice.simulator.internal.realtime.Completer;
import io.sluice.simulator.internal.realtime.Completion;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs one batch line the way the realtime API would answer it: validation errors, unknown models
 * and {@code #sim error=} directives become error outcomes; a seeded share of lines fails with a
 * 500; the rest succeed with the deterministic answer. Rate limits do not apply (batch limits are a
 * separate pool).
 */
public final class LineRunner {
  private final SimulatorConfig config;
  private final BatchSettings settings;
  private final Function<JsonNode, ChatRequest> parser;
  private final BiFunction<ChatRequest, Completion, JsonNode> successBody;
  private final Function<ApiError, JsonNode> errorBody;
  private final Function<String, ApiError> modelNotFound;

  public LineRunner(
      SimulatorConfig config,
      Function<JsonNode, ChatRequest> parser,
      BiFunction<ChatRequest, Completion, JsonNode> successBody,
      Function<ApiError, JsonNode> errorBody,
      Function<String, ApiError> modelNotFound) {
    this.config = config;
    this.settings = config.batches();
    this.parser = parser;
    this.successBody = successBody;
    this.errorBody = errorBody;
    this.modelNotFound = modelNotFound;
  }

  /** The outcome of a line of batch {@code batchId}. */
  public LineOutcome run(String batchId, BatchLine line) {
    String requestId = Ids.next("req_");
    try {
      ChatRequest call = parser.apply(line.request());
      if (!config.acceptsModel(call.model())) {
        throw modelNotFound.apply(call.model());
      }
      DirectiveParser.Parsed parsed = DirectiveParser.parse(call.lastUserText());
      failIfAsked(parsed.directive(), batchId, line.customId());
      Completion completion = Completer.complete(call, parsed.prompt());
      return new LineOutcome(
          200,
          successBody.apply(call, completion),
          requestId,
          call.promptTokens(),
          completion.outputTokens());
    } catch (DirectiveException e) {
      return error(ApiError.badRequest(e.getMessage(), "messages"), requestId);
    } catch (ApiError e) {
      return error(e, requestId);
    }
  }

  private void failIfAsked(SimDirective directive, String batchId, String customId) {
    if (directive.errorStatus() != null) {
      throw new ApiError(
          directive.errorStatus(),
          directive.code(),
          "The simulator was asked to fail this request with HTTP " + directive.errorStatus() + ".",
          null);
    }
    long seed = settings.seed() ^ Answerer.seedOf(batchId + "/" + customId);
    if (settings.errorShare() > 0
        && new SplittableRandom(seed).nextDouble() < settings.errorShare()) {
      throw new ApiError(
          500, null, "The server had an error processing this request. (simulated)", null);
    }
  }

  private LineOutcome error(ApiError e, String requestId) {
    return new LineOutcome(e.status(), errorBody.apply(e), requestId, 0, 0);
  }
}
