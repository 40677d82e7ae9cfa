package io.sluice.dispatcher.mapreduce;

import io.sluice.schemas.job.MapReduceSpec;
import io.sluice.schemas.task.Lane;
import java.time.Instant;
import java.util.Objects;

/**
 * A routed map-reduce job, passed from dispatch to completion once (with the first chunk that
 * dispatch routes): what completion needs to reduce its map outputs.
 *
 * @param tenantId the job's tenant
 * @param spec the job's calls, chunk count, reduce budget and depth bound
 * @param mapProvider the provider of the map calls
 * @param reduceProvider the provider of the reduce calls
 * @param reduceModel the reduce calls' provider model name
 * @param lane the job's lane, for the reduce tasks as for the map tasks
 * @param deadline when the job must be done by, or {@code null}
 */
public record MapReduceRegistration(
    String tenantId,
    MapReduceSpec spec,
    String mapProvider,
    String reduceProvider,
    String reduceModel,
    Lane lane,
    Instant deadline) {
  public MapReduceRegistration {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(reduceProvider, "reduceProvider");
    Objects.requireNonNull(reduceModel, "reduceModel");
    Objects.requireNonNull(lane, "lane");
  }
}
