package io.sluice.jobapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.mapreduce.MapReduceRefused;
import java.util.List;

/**
 * The 422 body of a map-reduce job refused before anything was created: {@code error} in the usual
 * shape ({@code limit_exceeded} for a cap, {@code unprocessable} for a job that cannot run as
 * asked), naming the field, and for a cap the {@code estimate} it was checked against.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MapReduceRefusal(ApiError.Detail error, EstimateResource estimate) {

  public static MapReduceRefusal of(MapReduceRefused refused) {
    return new MapReduceRefusal(
        new ApiError.Detail(
            refused.isCap() ? "limit_exceeded" : "unprocessable",
            refused.getMessage(),
            List.of(new FieldError(refused.field(), refused.getMessage())),
            null),
        refused.estimate().map(EstimateResource::of).orElse(null));
  }
}
