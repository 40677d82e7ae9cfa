package io.sluice.mapreduce;

/**
 * A map-reduce request that cannot run as asked, refused before anything is spent: job-api answers
 * it with a 422 naming {@link #field()}. The message names the limit and the estimate, e.g. {@code
 * "the document splits into 312 chunks, more than max_chunks 250"}.
 */
public final class MapReduceRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the request field at fault, e.g. {@code max_chunks}
   * @param message what is wrong, with the limit and the estimate
   */
  public MapReduceRefusal(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The request field at fault, as the client wrote it (snake_case). */
  public String field() {
    return field;
  }
}
