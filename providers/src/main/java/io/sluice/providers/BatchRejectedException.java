package io.sluice.providers;

/**
 * Batch input that Sluice refuses before sending anything: too many requests or bytes for the
 * provider's per-batch limits, a duplicate or invalid {@code custom_id}, mixed models, or no
 * requests. Permanent: the same input will be refused again; split it or fix it.
 */
public class BatchRejectedException extends ProviderException {
  /** Too many lines or bytes for one batch. */
  public static final String TOO_LARGE = "batch_too_large";

  /**
   * The input itself is invalid (duplicate or malformed {@code custom_id}, mixed models, empty).
   */
  public static final String INVALID = "invalid_batch";

  /**
   * @param provider the provider's name
   * @param errorCode {@link #TOO_LARGE} or {@link #INVALID}
   * @param message what is wrong, naming the limit or the offending {@code custom_id}
   */
  public BatchRejectedException(String provider, String errorCode, String message) {
    super(provider, Kind.PERMANENT, 0, errorCode, message, null, null, null);
  }
}
