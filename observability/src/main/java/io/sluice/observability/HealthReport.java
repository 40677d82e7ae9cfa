package io.sluice.observability;

import java.util.Map;

/**
 * What a set of {@link HealthChecks} answered at one moment.
 *
 * @param failing the checks that are down, by name, with their reasons (in registration order)
 */
public record HealthReport(Map<String, String> failing) {
  public HealthReport {
    failing = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failing));
  }

  public boolean isUp() {
    return failing.isEmpty();
  }

  /**
   * The small JSON body of a health endpoint: {@code {"status":"UP"}} or {@code
   * {"status":"DOWN","failing":{"kafka":"Kafka at kafka:9092 did not answer"}}}.
   */
  public String toJson() {
    if (isUp()) {
      return "{\"status\":\"UP\"}";
    }
    StringBuilder json = new StringBuilder("{\"status\":\"DOWN\",\"failing\":{");
    String separator = "";
    for (Map.Entry<String, String> entry : failing.entrySet()) {
      json.append(separator);
      appendString(json, entry.getKey());
      json.append(':');
      appendString(json, entry.getValue());
      separator = ",";
    }
    return json.append("}}").toString();
  }

  private static void appendString(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
