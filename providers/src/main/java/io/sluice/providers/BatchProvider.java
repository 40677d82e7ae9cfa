package io.sluice.providers;

import io.sluice.providers.internal.MissingResults;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A provider's batch API, as the batch-submitter (the deferred lane) calls it: submit many calls
 * for one model at once, poll, then fetch every line's outcome. Batch calls cost half the realtime
 * price and finish within the provider's completion window (24 h).
 *
 * <p>Like {@link Provider}, adapters never retry: each method makes its HTTP calls once and throws
 * a classified {@link ProviderException} when one fails. Every method except {@link #submit} is
 * safe to repeat.
 */
public interface BatchProvider extends AutoCloseable {
  /** The provider's name in topic names and configuration, e.g. {@code openai}. */
  String name();

  /** The per-batch limits {@link #submit} enforces. */
  BatchLimits limits();

  /**
   * Creates one provider batch.
   *
   * @param requests the lines, all for the same model, with unique {@code custom_id}s
   * @param metadata up to 16 short key-value pairs stored with the batch (OpenAI only; ignored
   *     elsewhere), e.g. Sluice's own batch ID
   * @return the new batch's status, with the provider's batch ID
   * @throws BatchRejectedException before sending anything when the input breaks a limit or rule
   * @throws ProviderException when the provider refused or the call failed; a refusal because of
   *     the provider's batch limits (OpenAI's batch creations per hour, Anthropic's requests in the
   *     processing queue) is a {@linkplain ProviderException#isRetriable() retriable} exception
   *     with {@linkplain ProviderException#isRateLimited() status 429} and the provider's {@link
   *     ProviderException#retryAfter()}: no batch was created. (OpenAI's enqueued-token limit is
   *     not refused here: the batch is created and then fails, see {@link
   *     BatchStatus#refusedForQueueLimit()}.)
   */
  BatchStatus submit(List<BatchRequest> requests, Map<String, String> metadata);

  /** Creates one provider batch without metadata; see {@link #submit(List, Map)}. */
  default BatchStatus submit(List<BatchRequest> requests) {
    return submit(requests, Map.of());
  }

  /**
   * The batch's current status.
   *
   * @throws ProviderException when the call failed (404 for an unknown ID is permanent)
   */
  BatchStatus status(String batchId);

  /**
   * Every batch of this account created at or after {@code createdSince}, newest first, with its
   * metadata and request count: how the deferred lane finds a batch whose create call may have
   * reached the provider before a crash. Reads as many pages of the provider's list as needed.
   *
   * @throws ProviderException when a call failed
   */
  List<BatchStatus> list(Instant createdSince);

  /**
   * Asks the provider to cancel the batch. Lines already finished are still delivered.
   *
   * @return the status after the request, usually {@link BatchState#CANCELLING}
   */
  BatchStatus cancel(String batchId);

  /**
   * The outcome of every line the provider reported, in no particular order.
   *
   * @throws IllegalStateException when the batch has not ended yet
   * @throws ProviderException when a call failed
   */
  List<BatchItemResult> results(String batchId);

  /**
   * The outcome of exactly the given lines: what the provider reported, plus a result for each
   * {@code custom_id} it did not report (expired or cancelled when the batch was, otherwise errored
   * with code {@code missing_result}, retriable). Results for IDs not asked for are dropped.
   *
   * @param batchId the provider's batch ID
   * @param customIds every {@code custom_id} submitted in the batch
   * @throws IllegalStateException when the batch has not ended yet
   */
  default List<BatchItemResult> results(String batchId, Collection<String> customIds) {
    BatchStatus status = status(batchId);
    List<BatchItemResult> reported =
        status.state() == BatchState.FAILED ? List.of() : results(batchId);
    return MissingResults.complete(status, reported, customIds);
  }

  /** Releases the adapter's HTTP client. */
  @Override
  void close();
}
