package io.sluice.simulator.internal.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One provider batch: its lines in processing order, its {@link BatchTimeline}, and the outcome of
 * every finished line (computed the first time it is needed, then kept).
 */
public final class SimBatch {
  private final String id;
  private final List<BatchLine> lines;
  private final LineOutcome[] outcomes;
  private final Function<BatchLine, LineOutcome> runner;
  private BatchTimeline timeline;

  /** A snapshot of progress. */
  public record Progress(
      BatchTimeline.State state,
      int succeeded,
      int errored,
      int notDone,
      long inputTokens,
      long outputTokens) {}

  /** A line and, if it finished, its outcome ({@code null} if it did not). */
  public record Result(BatchLine line, LineOutcome outcome) {}

  public SimBatch(
      String id,
      List<BatchLine> linesInProcessingOrder,
      BatchTimeline timeline,
      Function<BatchLine, LineOutcome> runner) {
    this.id = id;
    this.lines = List.copyOf(linesInProcessingOrder);
    this.outcomes = new LineOutcome[lines.size()];
    this.timeline = timeline;
    this.runner = runner;
  }

  public String id() {
    return id;
  }

  public Instant created() {
    return timeline.created();
  }

  public synchronized BatchTimeline timeline() {
    return timeline;
  }

  public int size() {
    return lines.size();
  }

  /** Progress at {@code now}. */
  public synchronized Progress progress(Instant now) {
    BatchTimeline.State state = timeline.at(now);
    int succeeded = 0;
    int errored = 0;
    long input = 0;
    long output = 0;
    for (int i = 0; i < state.linesDone(); i++) {
      LineOutcome outcome = outcome(i);
      if (outcome.succeeded()) {
        succeeded++;
        input += outcome.inputTokens();
        output += outcome.outputTokens();
      } else {
        errored++;
      }
    }
    return new Progress(state, succeeded, errored, lines.size() - state.linesDone(), input, output);
  }

  /** Every line with its outcome if it finished by {@code now}. */
  public synchronized List<Result> results(Instant now) {
    int done = timeline.at(now).linesDone();
    List<Result> results = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      results.add(new Result(lines.get(i), i < done ? outcome(i) : null));
    }
    return results;
  }

  /**
   * Requests a cancel at {@code now}.
   *
   * @return {@code false} if the batch can no longer be cancelled
   */
  public synchronized boolean cancel(Instant now) {
    BatchPhase phase = timeline.at(now).phase();
    if (phase == BatchPhase.CANCELLING || phase == BatchPhase.CANCELLED) {
      return true;
    }
    if (!phase.isCancellable()) {
      return false;
    }
    timeline = timeline.cancelledAt(now);
    return true;
  }

  private LineOutcome outcome(int index) {
    if (outcomes[index] == null) {
      outcomes[index] = runner.apply(lines.get(index));
    }
    return outcomes[index];
  }
}
