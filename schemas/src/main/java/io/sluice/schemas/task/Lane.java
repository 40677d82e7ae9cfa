package io.sluice.schemas.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * A queue of tasks for one provider: three realtime lanes taken in priority order, and the deferred
 * lane that goes to the provider's batch API. Which lane a job goes to is the lane policy's
 * decision ({@code io.sluice.lane.LanePolicy} in the {@code policy} module).
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

  public boolean isRealtime() {
    return this != DEFERRED;
  }

  /** The lane's name in topic names: {@code sluice.tasks.<provider>.<lane>}. */
  public String topicSegment() {
    return name().toLowerCase(Locale.ROOT);
  }
}
