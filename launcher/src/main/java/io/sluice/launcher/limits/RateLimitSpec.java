package io.sluice.launcher.limits;

import io.sluice.ratelimit.RateLimits;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses rate limits written as {@code model=500rpm,200000tpm;other=50rpm,30000itpm,8000otpm} (the
 * {@code SLUICE_RATE_LIMITS} variable of {@code sluice serve workers}). A model with {@code itpm}
 * and {@code otpm} gets Anthropic-style limits (input and output tokens counted apart), with {@code
 * itpm} alone Gemini-style (input tokens only), otherwise OpenAI-style ({@code tpm} counts prompt
 * plus {@code max_tokens}).
 */
public final class RateLimitSpec {
  private static final Pattern LIMIT = Pattern.compile("(\\d+)(rpm|tpm|itpm|otpm)");

  private RateLimitSpec() {}

  /**
   * The limits per provider model.
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static Map<String, RateLimits> parse(String spec) {
    Map<String, RateLimits> limits = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return limits;
    }
    for (String entry : spec.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw invalid(entry, "expected model=<limits>");
      }
      String model = entry.substring(0, equals).strip();
      if (limits.put(model, limitsOf(entry, entry.substring(equals + 1))) != null) {
        throw invalid(entry, "model '" + model + "' is given twice");
      }
    }
    return limits;
  }

  private static RateLimits limitsOf(String entry, String values) {
    Map<String, Long> byUnit = new LinkedHashMap<>();
    for (String value : values.split(",")) {
      Matcher matcher = LIMIT.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (!matcher.matches()) {
        throw invalid(entry, "'" + value.strip() + "' is not <number>rpm|tpm|itpm|otpm");
      }
      long limit = Long.parseLong(matcher.group(1));
      if (limit <= 0) {
        throw invalid(entry, "limits must be positive");
      }
      byUnit.put(matcher.group(2), limit);
    }
    Long rpm = byUnit.get("rpm");
    if (rpm == null) {
      throw invalid(entry, "a requests-per-minute limit (<n>rpm) is required");
    }
    if (byUnit.containsKey("itpm") || byUnit.containsKey("otpm")) {
      if (!byUnit.containsKey("itpm") || byUnit.containsKey("tpm")) {
        throw invalid(
            entry, "input-token limits need itpm (with otpm for Anthropic-style), and no tpm");
      }
      return byUnit.containsKey("otpm")
          ? RateLimits.anthropic(rpm, byUnit.get("itpm"), byUnit.get("otpm"))
          : RateLimits.gemini(rpm, byUnit.get("itpm"));
    }
    if (!byUnit.containsKey("tpm")) {
      throw invalid(entry, "a token limit is required: <n>tpm, or <n>itpm and <n>otpm");
    }
    return RateLimits.openAi(rpm, byUnit.get("tpm"));
  }

  private static IllegalArgumentException invalid(String entry, String problem) {
    return new IllegalArgumentException(
        "SLUICE_RATE_LIMITS entry '" + entry.strip() + "': " + problem);
  }
}
