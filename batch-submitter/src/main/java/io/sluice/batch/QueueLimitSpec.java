package io.sluice.batch;

import io.sluice.batch.plan.QueueLimits;
import io.sluice.providers.ProviderConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads batch queue limits written as text ({@code SLUICE_BATCH_QUEUE_LIMITS}): comma-separated
 * {@code <account>.<key>=<value>}, keys {@code tokens.<model>}, {@code tokens.default}, {@code
 * requests}, {@code creations-per-hour}, values a positive number or {@code unlimited}. Each entry
 * changes one limit of the account's limits (its kind's tier-1 defaults unless set otherwise). A
 * bad entry fails naming {@code batch-submitter.queue-limits} and the entry.
 */
final class QueueLimitSpec {
  private QueueLimitSpec() {}

  static Map<String, QueueLimits> apply(
      String spec, List<ProviderConfig> providers, Map<String, QueueLimits> configured) {
    Map<String, QueueLimits> limits = new LinkedHashMap<>(configured);
    for (String entry : spec.split(",")) {
      if (!entry.isBlank()) {
        applyEntry(entry.strip(), providers, limits);
      }
    }
    return limits;
  }

  private static void applyEntry(
      String entry, List<ProviderConfig> providers, Map<String, QueueLimits> limits) {
    int equals = entry.indexOf('=');
    int dot = entry.indexOf('.');
    if (equals < 0 || dot < 0 || dot > equals) {
      throw bad(entry, "is not <account>.<key>=<value>");
    }
    String account = entry.substring(0, dot);
    ProviderConfig provider =
        providers.stream()
            .filter(p -> p.name().equals(account))
            .findFirst()
            .orElseThrow(() -> bad(entry, "names no provider account of this submitter"));
    String key = entry.substring(dot + 1, equals).strip();
    long value = value(entry, entry.substring(equals + 1).strip());
    QueueLimits current =
        limits.getOrDefault(account, BatchSubmitterSettings.defaultQueueLimits(provider.kind()));
    limits.put(account, with(current, key, value, entry));
  }

  private static QueueLimits with(QueueLimits limits, String key, long value, String entry) {
    return switch (key) {
      case "tokens.default" -> limits.withOtherModelTokens(value);
      case "requests" -> limits.withRequests(value);
      case "creations-per-hour" -> limits.withCreationsPerHour(value);
      default -> {
        if (!key.startsWith("tokens.") || key.length() == "tokens.".length()) {
          throw bad(
              entry,
              "has an unknown key; use tokens.<model>, tokens.default, requests or"
                  + " creations-per-hour");
        }
        yield limits.withModelTokens(key.substring("tokens.".length()), value);
      }
    };
  }

  private static long value(String entry, String text) {
    if (text.toLowerCase(Locale.ROOT).equals("unlimited")) {
      return QueueLimits.UNLIMITED;
    }
    try {
      long value = Long.parseLong(text.replace("_", ""));
      if (value < 1) {
        throw bad(entry, "must be at least 1");
      }
      return value;
    } catch (NumberFormatException e) {
      throw bad(entry, "must be a positive number or unlimited");
    }
  }

  private static IllegalArgumentException bad(String entry, String problem) {
    return BatchSubmitterSettings.invalid("queue-limits", "entry '" + entry + "' " + problem);
  }
}
