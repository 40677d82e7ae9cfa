package io.sluice.jobapi.webhook.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Records finished sends in batches: one statement for all their attempt rows, one for all their
 * deliveries, and an endpoint update only for the results that change their endpoint (a failure
 * begins a run or pauses it, a success ends a run, 410 disables it).
 */
final class ResultRecorder {
  /** A claimed delivery that was not sent: it is due again, no attempt counted. */
  record Unsent(String id, String token) {}

  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final AttemptRepository attempts = new AttemptRepository();
  private final EndpointRepository endpoints = new EndpointRepository();

  /**
   * Records {@code results} in the caller's transaction, in their order; returns how many
   * deliveries were still their sender's to record (a replay, or another sender after the lease
   * ended, took the others over; their attempts are recorded all the same).
   */
  int record(Connection c, List<SendResult> results) throws SQLException {
    if (results.isEmpty()) {
      return 0;
    }
    attempts.insertAll(c, results);
    int recorded = deliveries.recordResults(c, results);
    for (SendResult result : results) {
      if (result.changesEndpoint()) {
        endpoints.recordAttempt(
            c,
            result.delivery().endpointId(),
            result.decision().failingSince(),
            result.decision().endpointPausedUntil(),
            result.decision().disableReason(),
            result.attempt().attemptedAt());
      }
    }
    return recorded;
  }

  /** Makes unsent deliveries due at {@code now} again, where the claim is still their sender's. */
  void giveBack(Connection c, List<Unsent> unsent, Instant now) throws SQLException {
    if (!unsent.isEmpty()) {
      deliveries.giveBack(
          c,
          unsent.stream().map(Unsent::id).toList(),
          unsent.stream().map(Unsent::token).toList(),
          now);
    }
  }
}
