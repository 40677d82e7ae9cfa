package io.sluice.batch;

import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchLimits;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real adapter with one behaviour changed, for faults the simulator cannot produce on its own: a
 * crash right after the provider created a batch, a line missing from the results.
 */
class ForwardingBatchProvider implements BatchProvider {
  final BatchProvider delegate;

  ForwardingBatchProvider(BatchProvider delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public BatchLimits limits() {
    return delegate.limits();
  }

  @Override
  public BatchStatus submit(List<BatchRequest> requests, Map<String, String> metadata) {
    return delegate.submit(requests, metadata);
  }

  @Override
  public BatchStatus status(String batchId) {
    return delegate.status(batchId);
  }

  @Override
  public List<BatchStatus> list(Instant createdSince) {
    return delegate.list(createdSince);
  }

  @Override
  public BatchStatus cancel(String batchId) {
    return delegate.cancel(batchId);
  }

  @Override
  public List<BatchItemResult> results(String batchId) {
    return delegate.results(batchId);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
