package io.sluice.simulator.internal.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.realtime.ChatRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The batches of one API account that still hold a place in its queue, and how much they hold at a
 * moment: per model, the prompt tokens of batches still {@code validating}, {@code in_progress} or
 * {@code finalizing} (OpenAI's enqueued tokens) and the requests of those batches not finished yet
 * (Anthropic's requests in the processing queue). A batch leaves the queue when it leaves those
 * phases. Thread-safe.
 */
public final class BatchQueue {
  private final List<Member> members = new ArrayList<>();

  /** One model's lines of a batch: their processing positions (ascending) and prompt tokens. */
  private record Member(SimBatch batch, String model, int[] positions, long tokens) {}

  /** What one line costs in the queue. */
  public record LineCost(String model, long tokens) {
    /** The cost of a request body: its model and prompt tokens (0 when it cannot be read). */
    public static LineCost of(JsonNode request, Function<JsonNode, ChatRequest> parser) {
      try {
        ChatRequest call = parser.apply(request);
        return new LineCost(call.model(), call.promptTokens());
      } catch (ApiError e) {
        return new LineCost(request.path("model").asText("-"), 0);
      }
    }
  }

  /**
   * Tokens and requests per model.
   *
   * @param tokens prompt tokens per model
   * @param requests requests per model
   */
  public record Level(Map<String, Long> tokens, Map<String, Long> requests) {
    public static final Level EMPTY = new Level(Map.of(), Map.of());

    public Level {
      tokens = Map.copyOf(tokens);
      requests = Map.copyOf(requests);
    }

    /** The demand of a new batch: every line counted. */
    public static Level of(List<LineCost> lines) {
      Map<String, Long> tokens = new HashMap<>();
      Map<String, Long> requests = new HashMap<>();
      for (LineCost line : lines) {
        tokens.merge(line.model(), line.tokens(), Long::sum);
        requests.merge(line.model(), 1L, Long::sum);
      }
      return new Level(tokens, requests);
    }

    public long tokens(String model) {
      return tokens.getOrDefault(model, 0L);
    }

    public long requests(String model) {
      return requests.getOrDefault(model, 0L);
    }

    public long totalTokens() {
      return tokens.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalRequests() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    /** This level with another on top. */
    public Level plus(Level other) {
      Map<String, Long> t = new HashMap<>(tokens);
      Map<String, Long> r = new HashMap<>(requests);
      other.tokens.forEach((model, n) -> t.merge(model, n, Long::sum));
      other.requests.forEach((model, n) -> r.merge(model, n, Long::sum));
      return new Level(t, r);
    }
  }

  /** Adds a created batch; {@code costs} are its lines in processing order. */
  public synchronized void add(SimBatch batch, List<LineCost> costs) {
    Map<String, List<Integer>> positions = new LinkedHashMap<>();
    Map<String, Long> tokens = new HashMap<>();
    for (int i = 0; i < costs.size(); i++) {
      LineCost cost = costs.get(i);
      positions.computeIfAbsent(cost.model(), m -> new ArrayList<>()).add(i);
      tokens.merge(cost.model(), cost.tokens(), Long::sum);
    }
    positions.forEach(
        (model, at) ->
            members.add(
                new Member(
                    batch,
                    model,
                    at.stream().mapToInt(Integer::intValue).toArray(),
                    tokens.get(model))));
  }

  /** The queue at {@code now}; batches that have left it are forgotten. */
  public synchronized Level level(Instant now) {
    members.removeIf(m -> !holdsPlace(m.batch().timeline().at(now).phase()));
    return levelAt(now);
  }

  /**
   * The first moment from {@code now} at which the queue, without new batches, fits the test (to
   * the millisecond); when it never does, the moment the last batch now queued must have ended.
   */
  public synchronized Instant whenFits(Instant now, Predicate<Level> fits) {
    Instant lo = now;
    Instant hi =
        members.stream()
            .map(m -> m.batch().timeline().expiry())
            .filter(expiry -> expiry.isAfter(now))
            .max(Instant::compareTo)
            .orElse(now);
    if (fits.test(levelAt(lo))) {
      return lo;
    }
    if (!fits.test(levelAt(hi))) {
      return hi;
    }
    while (Duration.between(lo, hi).toMillis() > 1) {
      Instant mid = lo.plus(Duration.between(lo, hi).dividedBy(2));
      if (fits.test(levelAt(mid))) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  private Level levelAt(Instant when) {
    Map<String, Long> tokens = new HashMap<>();
    Map<String, Long> requests = new HashMap<>();
    for (Member member : members) {
      BatchTimeline.State state = member.batch().timeline().at(when);
      if (holdsPlace(state.phase())) {
        tokens.merge(member.model(), member.tokens(), Long::sum);
        requests.merge(member.model(), (long) unfinished(member, state.linesDone()), Long::sum);
      }
    }
    return new Level(tokens, requests);
  }

  private static int unfinished(Member member, int linesDone) {
    int index = Arrays.binarySearch(member.positions(), linesDone);
    int done = index >= 0 ? index : -index - 1;
    return member.positions().length - done;
  }

  private static boolean holdsPlace(BatchPhase phase) {
    return phase == BatchPhase.VALIDATING
        || phase == BatchPhase.IN_PROGRESS
        || phase == BatchPhase.FINALIZING;
  }
}
