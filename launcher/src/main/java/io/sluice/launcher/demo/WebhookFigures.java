package io.sluice.launcher.demo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the demo's webhook receiver saw.
 *
 * @param expected jobs that ended, each of which should have sent one event
 * @param received of those, jobs whose event arrived with a valid signature
 * @param deliveries requests that reached the receiver (retries included)
 * @param unverified deliveries whose signature did not verify
 * @param latencyP50 median time from a job's {@code finished_at} to its event's arrival
 * @param latencyP99 99th percentile of that time
 */
public record WebhookFigures(
    int expected,
    int received,
    int deliveries,
    int unverified,
    Duration latencyP50,
    Duration latencyP99) {

  /** Whether every job's event arrived and every delivery verified. */
  public boolean complete() {
    return received == expected && unverified == 0;
  }

  String toText() {
    return String.join(
        System.lineSeparator(),
        "webhook events   "
            + received
            + " of "
            + expected
            + " received, signatures verified"
            + (unverified > 0 ? " (" + unverified + " did NOT verify)" : ""),
        "webhook p50      " + latencyP50.toMillis() + " ms (job done to event received)",
        "webhook p99      " + latencyP99.toMillis() + " ms");
  }

  Map<String, Object> toJsonFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("webhook_events_expected", expected);
    fields.put("webhook_events_received", received);
    fields.put("webhook_deliveries", deliveries);
    fields.put("webhook_unverified", unverified);
    fields.put("webhook_latency_p50_ms", latencyP50.toMillis());
    fields.put("webhook_latency_p99_ms", latencyP99.toMillis());
    return fields;
  }
}
