package io.sluice.launcher.batch;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** A batch in a few lines a person reads: where it stands, and the commands that come next. */
final class BatchSummary {
  private static final int MAX_ERRORS = 10;

  private BatchSummary() {}

  /** {@code took} is how long the run was followed, or null when it was not. */
  static void print(PrintWriter out, BatchSnapshot batch, Duration took) {
    StringBuilder head = new StringBuilder(batch.id()).append(' ').append(batch.status());
    if (took != null) {
      head.append(" in ").append(BatchProgress.duration(took.toSeconds()));
    }
    head.append(
        String.format(
            Locale.ROOT,
            ": %,d of %,d requests done, %,d succeeded, %,d failed",
            batch.done(),
            batch.total(),
            batch.completed(),
            batch.failed()));
    batch.costUsd().ifPresent(cost -> head.append(", cost ").append(BatchProgress.dollars(cost)));
    out.println(head);
    int shown = 0;
    for (String error : batch.errors()) {
      if (shown++ == MAX_ERRORS) {
        out.println("  ... " + (batch.errors().size() - MAX_ERRORS) + " more (--json shows all)");
        break;
      }
      out.println("  " + error);
    }
    if (batch.outputFileId().isPresent()) {
      out.println("  results: sluice batch results " + batch.id() + " -o results.jsonl");
    }
    if (batch.errorFileId().isPresent()) {
      out.println("  errors:  sluice batch errors " + batch.id() + " -o errors.jsonl");
    }
    if (!batch.ended()) {
      out.println("  follow:  sluice batch status " + batch.id());
    }
  }
}
