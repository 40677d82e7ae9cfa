package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a map-reduce job does when the map call of one chunk fails for good. */
public enum ChunkErrorPolicy {
  /** The job fails, naming the chunk and why. */
  @JsonProperty("fail")
  FAIL,
  /** The chunk is left out of the reduce and named in the result's skipped chunks. */
  @JsonProperty("skip")
  SKIP;

  /** The default when a request does not say. */
  public static final ChunkErrorPolicy DEFAULT = FAIL;

  /** The name on the wire, e.g. {@code "skip"}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The constant with this wire name (case-sensitive); empty for any other string. */
  public static Optional<ChunkErrorPolicy> fromWire(String wireName) {
    return Arrays.stream(values()).filter(p -> p.wireName().equals(wireName)).findFirst();
  }

  /** Every wire name, in declaration order. */
  public static List<String> wireNames() {
    return Arrays.stream(values()).map(ChunkErrorPolicy::wireName).toList();
  }
}
