package io.sluice.schemas.topic;

import io.sluice.schemas.Versioned;
import java.time.Instant;

/**
 * A record that could not be processed, with the reason; the value of {@code sluice.dead-letters}.
 *
 * @param sourceTopic the topic the record came from
 * @param key the record's key, as text
 * @param reason why it was set aside
 * @param payload the record's value as text (UTF-8), for an operator to inspect or replay
 * @param occurredAt when it was set aside
 */
public record DeadLetter(
    int schemaVersion,
    String sourceTopic,
    String key,
    String reason,
    String payload,
    Instant occurredAt)
    implements Versioned {

  public static DeadLetter of(
      String sourceTopic, String key, String reason, String payload, Instant occurredAt) {
    return new DeadLetter(CURRENT, sourceTopic, key, reason, payload, occurredAt);
  }
}
