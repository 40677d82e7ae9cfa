package io.sluice.batch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.task.Task;
import java.io.IOException;
import java.sql.SQLException;

/** Reads and writes the JSON columns (tasks, placements, results). */
final class StoredJson {
  private StoredJson() {}

  static Task task(String json) throws SQLException {
    return read(json, Task.class, "task");
  }

  static Placement placement(String json) throws SQLException {
    return json == null ? null : read(json, Placement.class, "placement");
  }

  static String write(Object value) throws SQLException {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SQLException(
          "cannot write a " + value.getClass().getSimpleName() + " as JSON", "XX000", e);
    }
  }

  private static <T> T read(String json, Class<T> type, String what) throws SQLException {
    try {
      return Json.mapper().readValue(json, type);
    } catch (IOException e) {
      throw new SQLException("a stored " + what + " is not readable", "XX000", e);
    }
  }
}
