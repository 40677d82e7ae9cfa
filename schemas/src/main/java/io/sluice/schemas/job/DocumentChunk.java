package io.sluice.schemas.job;

import java.util.Objects;

/**
 * One chunk of a map-reduce job's document, published on {@code sluice.jobs.submitted} after the
 * job's header (keyed by job ID, so in order on one partition): the dispatcher turns it into one
 * map task. A chunk is sized by tokens far below a Kafka record's limit.
 *
 * @param index its place in the document, from 0
 * @param text its text, the overlap with the previous chunk included
 */
public record DocumentChunk(int index, String text) {
  public DocumentChunk {
    Objects.requireNonNull(text, "text");
    if (index < 0) {
      throw new IllegalArgumentException("a chunk index is at least 0, was " + index);
    }
  }
}
