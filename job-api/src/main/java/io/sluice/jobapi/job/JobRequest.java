package io.sluice.jobapi.job;

import io.sluice.jobapi.mapreduce.MapReduceInput;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A valid, normalized {@code POST /v1/jobs} body: defaults applied, model known.
 *
 * @param type the kind of job
 * @param completion the model call, with the model as the client named it
 * @param priority the priority, {@link Priority#DEFAULT} when not given
 * @param mode the mode, {@link Mode#DEFAULT} when not given
 * @param deadline when the job must be done by, or {@code null}
 * @param metadata the client's labels, empty when not given
 * @param webhookUrl the one-off webhook that is told when the job ends, or {@code null}
 * @param mapReduce the document and calls of a {@link JobType#MAP_REDUCE} job (then {@code
 *     completion} is {@code null}), or {@code null}
 * @param cache the client's choice for the result cache: {@code true} opts a request without a
 *     temperature in, {@code false} keeps the job out of it, {@code null} leaves it to the rule
 *     (temperature 0 is cached)
 */
public record JobRequest(
    JobType type,
    CompletionSpec completion,
    Priority priority,
    Mode mode,
    Instant deadline,
    Map<String, String> metadata,
    String webhookUrl,
    MapReduceInput mapReduce,
    Boolean cache) {

  public JobRequest(
      JobType type,
      CompletionSpec completion,
      Priority priority,
      Mode mode,
      Instant deadline,
      Map<String, String> metadata,
      String webhookUrl,
      MapReduceInput mapReduce) {
    this(type, completion, priority, mode, deadline, metadata, webhookUrl, mapReduce, null);
  }

  public JobRequest(
      JobType type,
      CompletionSpec completion,
      Priority priority,
      Mode mode,
      Instant deadline,
      Map<String, String> metadata,
      String webhookUrl) {
    this(type, completion, priority, mode, deadline, metadata, webhookUrl, null);
  }

  public JobRequest(
      JobType type,
      CompletionSpec completion,
      Priority priority,
      Mode mode,
      Instant deadline,
      Map<String, String> metadata) {
    this(type, completion, priority, mode, deadline, metadata, null);
  }

  public JobRequest {
    Objects.requireNonNull(type, "type");
    if (type == JobType.MAP_REDUCE) {
      Objects.requireNonNull(mapReduce, "mapReduce");
    } else {
      Objects.requireNonNull(completion, "completion");
    }
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(mode, "mode");
    metadata =
        metadata == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
  }
}
