package io.sluice.jobapi.http.internal;

import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.InvalidJobRequestException;
import java.util.List;

/** The {@code limit} query parameter of OpenAI-style lists. */
final class ListLimits {
  private ListLimits() {}

  static int parse(String text, int max, int defaultLimit) {
    if (text == null) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InvalidJobRequestException.of(
        List.of(new FieldError("limit", "must be a whole number from 1 to " + max)));
  }
}
