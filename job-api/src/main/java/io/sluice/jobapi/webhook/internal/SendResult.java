package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.webhook.Attempt;
import io.sluice.jobapi.webhook.DeliveryPolicy;
import java.util.Objects;

/**
 * One finished send, waiting to be recorded with others in one transaction.
 *
 * @param delivery the delivery as it was claimed
 * @param token the claim it was sent under: only its holder records the result
 * @param attemptsMade attempts of the delivery so far, this one included
 * @param attempt what the attempt came to
 * @param decision what the policy made of it
 */
record SendResult(
    DeliveryRepository.Claimed delivery,
    String token,
    int attemptsMade,
    Attempt attempt,
    DeliveryPolicy.Decision decision) {

  /**
   * Whether the endpoint's row has to be written: it pauses, is disabled, or its run of failures
   * begins or ends. A success at an endpoint that was healthy when the delivery was claimed (the
   * common case under load) writes nothing there.
   */
  boolean changesEndpoint() {
    return delivery.endpointId() != null
        && (decision.endpointPausedUntil() != null
            || decision.disableReason() != null
            || !Objects.equals(delivery.failingSince(), decision.failingSince()));
  }
}
