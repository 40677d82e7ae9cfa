package io.sluice.workers.internal;

import io.sluice.providers.CompletionResponse;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.task.Task;
import java.time.Instant;

/**
 * Asked before every provider call whether it may go now (the rate limiter), and told how the call
 * ended so that the charge can be settled. Thread-safe.
 */
public interface CallGate {
  /** Admits every call at once and records nothing. */
  CallGate OPEN = task -> new Go(Permit.NONE);

  Decision admit(Task task);

  /** The answer for one call. */
  sealed interface Decision {}

  /** Call now; settle the permit exactly once. */
  record Go(Permit permit) implements Decision {}

  /** Not before {@code notBefore}; nothing was charged. */
  record Wait(Instant notBefore, String blockedBy) implements Decision {}

  /** Never: the call is larger than the limit allows. */
  record Never(String reason) implements Decision {}

  /** The charge of one admitted call, settled once with how the call ended. */
  interface Permit {
    Permit NONE =
        new Permit() {
          @Override
          public void succeeded(CompletionResponse response) {}

          @Override
          public void failed(ProviderException failure) {}

          @Override
          public void notCalled() {}
        };

    /** The call returned: settle with its actual usage. */
    void succeeded(CompletionResponse response);

    /** The call was made and failed (usage unknown; a 429 is reported to the limiter). */
    void failed(ProviderException failure);

    /** The call was never made. */
    void notCalled();
  }
}
