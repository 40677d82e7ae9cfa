package io.sluice.schemas;

/**
 * A Kafka payload that carries its schema's major version. Consumers reject payloads whose major
 * version they do not know (to the dead-letter topic) instead of crashing; additions within a major
 * version are backward compatible and unknown fields are ignored.
 */
public interface Versioned {
  /** The major schema version every payload written by this code carries. */
  int CURRENT = 1;

  int schemaVersion();
}
