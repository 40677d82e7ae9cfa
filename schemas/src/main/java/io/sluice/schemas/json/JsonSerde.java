package io.sluice.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schemas.Versioned;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one payload record, in Sluice's {@link Json} mapping. For {@link Versioned}
 * payloads the deserializer checks {@code schema_version} and throws {@link
 * UnsupportedSchemaVersionException} (wrapped in Kafka's {@link SerializationException}) for an
 * unknown major version, so that consumers can dead-letter the record.
 */
public final class JsonSerde<T> implements Serde<T> {
  private final Class<T> type;
  private final ObjectMapper mapper = Json.mapper();

  private JsonSerde(Class<T> type) {
    this.type = type;
  }

  public static <T> JsonSerde<T> of(Class<T> type) {
    return new JsonSerde<>(type);
  }

  public Class<T> type() {
    return type;
  }

  /** Writes a value as UTF-8 JSON bytes. */
  public byte[] toBytes(T value) {
    try {
      return value == null ? null : mapper.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON", e);
    }
  }

  /**
   * Reads a value from UTF-8 JSON bytes, checking its schema version. The bytes are bound to the
   * type in one pass (reading them into a tree first and binding the tree took twice the time, and
   * this runs for every record the dispatcher, the workers and job-api read); only a payload that
   * does not bind is read as a tree, so that one of another major version is reported as such.
   */
  public T fromBytes(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    T value;
    try {
      value = mapper.readValue(bytes, type);
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw unreadable(bytes, e);
    }
    if (value instanceof Versioned versioned && versioned.schemaVersion() != Versioned.CURRENT) {
      throw unsupported(versioned.schemaVersion());
    }
    return value;
  }

  /** Why {@code bytes} did not bind: another major version, or not a valid payload at all. */
  private SerializationException unreadable(byte[] bytes, Exception cause) {
    if (Versioned.class.isAssignableFrom(type)) {
      try {
        checkVersion(mapper.readTree(bytes));
      } catch (UnsupportedSchemaVersionException e) {
        return new SerializationException(e.getMessage(), e);
      } catch (IOException | RuntimeException e) {
        // not JSON, or no version to tell: the binding's own error says what is wrong
      }
    }
    return new SerializationException(
        "not a valid " + type.getSimpleName() + ": " + cause.getMessage(), cause);
  }

  private SerializationException unsupported(int found) {
    var e = new UnsupportedSchemaVersionException(type.getSimpleName(), found, Versioned.CURRENT);
    return new SerializationException(e.getMessage(), e);
  }

  private void checkVersion(JsonNode tree) {
    JsonNode version = tree.get("schema_version");
    int found = version == null || !version.canConvertToInt() ? 0 : version.intValue();
    if (found != Versioned.CURRENT) {
      throw new UnsupportedSchemaVersionException(type.getSimpleName(), found, Versioned.CURRENT);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> toBytes(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> fromBytes(bytes);
  }

  /** Convenience for tests and tools: JSON text of a value. */
  public String toJson(T value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
