package io.sluice.jobapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.function.Function;

/**
 * A page as OpenAI lists files and batches: {@code data}, {@code first_id}, {@code last_id}, {@code
 * has_more}; the next page is asked for with {@code after=<last_id>}.
 */
public record OpenAiListResource<T>(
    String object,
    List<T> data,
    @JsonInclude(JsonInclude.Include.ALWAYS) String firstId,
    @JsonInclude(JsonInclude.Include.ALWAYS) String lastId,
    boolean hasMore) {

  public static <T> OpenAiListResource<T> of(
      List<T> data, Function<T, String> id, boolean hasMore) {
    return new OpenAiListResource<>(
        "list",
        data,
        data.isEmpty() ? null : id.apply(data.getFirst()),
        data.isEmpty() ? null : id.apply(data.getLast()),
        hasMore);
  }
}
