package io.sluice.schemas.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.schemas.job.Priority;
import java.util.Locale;

/**
 * A queue of tasks for one provider: three realtime lanes taken in priority order, and the deferred
 * lane that goes to the provider's batch API.
 */
public enum Lane {
  @JsonProperty("interactive")
  INTERACTIVE,
  @JsonProperty("standard")
  STANDARD,
  @JsonProperty("bulk")
  BULK,
  @JsonProperty("deferred")
  DEFERRED;

  /** The realtime lane for a job priority. */
  public static Lane realtimeFor(Priority priority) {
    return switch (priority) {
      case INTERACTIVE -> INTERACTIVE;
      case STANDARD -> STANDARD;
      case BULK -> BULK;
    };
  }

  public boolean isRealtime() {
    return this != DEFERRED;
  }

  /** The lane's name in topic names: {@code sluice.tasks.<provider>.<lane>}. */
  public String topicSegment() {
    return name().toLowerCase(Locale.ROOT);
  }
}
