package io.sluice.jobapi.job;

import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Priority;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the query parameters of {@code GET /v1/jobs} into a {@link JobListQuery}. Every problem is
 * reported at once, each naming its parameter: unknown parameters, a parameter given twice, values
 * out of range, a cursor this API did not make. Plain Java: the HTTP adapter hands over the decoded
 * parameters.
 */
public final class JobListQueryParser {
  static final int MAX_METADATA_FILTERS = 8;
  static final int MAX_TEXT_LENGTH = 500;
  private static final String METADATA_PREFIX = "metadata[";
  private static final Set<String> NAMES =
      Set.of(
          "status",
          "priority",
          "model",
          "created_after",
          "created_before",
          "after",
          "limit",
          "batch");
  private static final java.util.regex.Pattern BATCH_ID =
      java.util.regex.Pattern.compile("batch_[0-9a-f]{32}");
  private static final String STATUSES =
      Arrays.stream(JobStatus.values()).map(JobStatus::wireName).collect(Collectors.joining("|"));

  /**
   * @throws InvalidJobRequestException naming each bad parameter
   */
  public JobListQuery parse(Map<String, List<String>> parameters) {
    List<FieldError> problems = new ArrayList<>();
    Map<String, String> single = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    parameters.forEach((name, values) -> sort(name, values, single, metadata, problems));
    if (metadata.size() > MAX_METADATA_FILTERS) {
      problems.add(
          new FieldError("metadata", "at most " + MAX_METADATA_FILTERS + " metadata filters"));
    }
    JobListQuery query = read(single, metadata, problems);
    if (!problems.isEmpty()) {
      throw InvalidJobRequestException.of(problems);
    }
    return query;
  }

  private static void sort(
      String name,
      List<String> values,
      Map<String, String> single,
      Map<String, String> metadata,
      List<FieldError> problems) {
    boolean metadataFilter = name.startsWith(METADATA_PREFIX) && name.endsWith("]");
    if (!metadataFilter && !NAMES.contains(name)) {
      problems.add(new FieldError(printable(name), "is not a parameter of this endpoint"));
    } else if (values.size() != 1) {
      problems.add(new FieldError(printable(name), "must be given once"));
    } else if (metadataFilter) {
      readMetadataFilter(name, values.getFirst(), metadata, problems);
    } else {
      single.put(name, values.getFirst());
    }
  }

  private static void readMetadataFilter(
      String name, String value, Map<String, String> metadata, List<FieldError> problems) {
    String key = name.substring(METADATA_PREFIX.length(), name.length() - 1);
    if (key.isEmpty() || !isPlainText(key) || !isPlainText(value)) {
      problems.add(
          new FieldError(
              printable(name),
              "must be metadata[<key>]=<value>, both 1 to "
                  + MAX_TEXT_LENGTH
                  + " characters without control characters"));
    } else {
      metadata.put(key, value);
    }
  }

  private static JobListQuery read(
      Map<String, String> single, Map<String, String> metadata, List<FieldError> problems) {
    JobStatus status = status(single.get("status"), problems);
    Priority priority = priority(single.get("priority"), problems);
    String model = model(single.get("model"), problems);
    Instant after = instant("created_after", single.get("created_after"), problems);
    Instant before = instant("created_before", single.get("created_before"), problems);
    JobCursor cursor = cursor(single.get("after"), problems);
    int limit = limit(single.get("limit"), problems);
    String batch = single.get("batch");
    if (batch != null && !BATCH_ID.matcher(batch).matches()) {
      problems.add(new FieldError("batch", "is not a batch ID (batch_ and 32 hex digits)"));
    }
    return problems.isEmpty()
        ? new JobListQuery(status, priority, model, metadata, after, before, cursor, limit)
            .withBatch(batch)
        : null;
  }

  private static JobStatus status(String value, List<FieldError> problems) {
    if (value == null) {
      return null;
    }
    return Arrays.stream(JobStatus.values())
        .filter(s -> s.wireName().equals(value))
        .findFirst()
        .orElseGet(
            () -> {
              problems.add(new FieldError("status", "must be one of " + STATUSES));
              return null;
            });
  }

  private static Priority priority(String value, List<FieldError> problems) {
    if (value == null) {
      return null;
    }
    return Priority.fromWire(value)
        .orElseGet(
            () -> {
              problems.add(
                  new FieldError(
                      "priority", "must be one of " + String.join("|", Priority.wireNames())));
              return null;
            });
  }

  private static String model(String value, List<FieldError> problems) {
    if (value != null && (value.isEmpty() || !isPlainText(value))) {
      problems.add(
          new FieldError(
              "model",
              "must be 1 to " + MAX_TEXT_LENGTH + " characters without control characters"));
    }
    return value;
  }

  private static Instant instant(String name, String value, List<FieldError> problems) {
    if (value == null) {
      return null;
    }
    try {
      Instant instant = OffsetDateTime.parse(value).toInstant();
      if (instant.isBefore(JobListQuery.EARLIEST) || instant.isAfter(JobListQuery.LATEST)) {
        problems.add(new FieldError(name, "must be between the years 1 and 9999"));
        return null;
      }
      return instant;
    } catch (DateTimeParseException e) {
      problems.add(
          new FieldError(
              name, "must be an RFC 3339 date-time with offset, e.g. 2030-01-31T18:00:00Z"));
      return null;
    }
  }

  private static JobCursor cursor(String value, List<FieldError> problems) {
    if (value == null) {
      return null;
    }
    return JobCursor.decode(value)
        .orElseGet(
            () -> {
              problems.add(
                  new FieldError(
                      "after", "is not a cursor of this API (use next_cursor as given)"));
              return null;
            });
  }

  private static int limit(String value, List<FieldError> problems) {
    if (value == null) {
      return JobListQuery.DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= JobListQuery.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(new FieldError("limit", "must be an integer from 1 to " + JobListQuery.MAX_LIMIT));
    return JobListQuery.DEFAULT_LIMIT;
  }

  // PostgreSQL refuses NUL in a parameter; other control characters cannot match stored metadata
  // keys a client would filter by either, and are refused alike.
  private static boolean isPlainText(String value) {
    return value.length() <= MAX_TEXT_LENGTH && value.chars().noneMatch(Character::isISOControl);
  }

  // A field name is echoed in the error: keep it short and printable.
  private static String printable(String name) {
    String cut = name.length() > 100 ? name.substring(0, 100) + "…" : name;
    return cut.chars()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
