package io.sluice.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryHintsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static HttpHeaders headers(Map<String, String> values) {
    return HttpHeaders.of(
        values.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
        (name, value) -> true);
  }

  @Test
  void shouldReadRetryAfterMillisecondsFirst() {
    HttpHeaders headers = headers(Map.of("retry-after-ms", "1500", "retry-after", "30"));
    assertThat(RetryHints.retryAfter(headers, NOW)).contains(Duration.ofMillis(1500));
  }

  @Test
  void shouldReadFractionalMilliseconds() {
    assertThat(RetryHints.retryAfter(headers(Map.of("retry-after-ms", "12.5")), NOW))
        .contains(Duration.ofNanos(12_500_000));
  }

  @Test
  void shouldReadRetryAfterSeconds() {
    assertThat(RetryHints.retryAfter(headers(Map.of("retry-after", "7")), NOW))
        .contains(Duration.ofSeconds(7));
  }

  @Test
  void shouldReadRetryAfterAsHttpDate() {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(42).atOffset(ZoneOffset.UTC));
    assertThat(RetryHints.retryAfter(headers(Map.of("retry-after", date)), NOW))
        .contains(Duration.ofSeconds(42));
  }

  @Test
  void shouldTreatAnHttpDateInThePastAsNoWait() {
    assertThat(
            RetryHints.retryAfter(
                headers(Map.of("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")), NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void shouldIgnoreUnusableHints() {
    assertThat(RetryHints.retryAfter(headers(Map.of("retry-after", "soon")), NOW)).isEmpty();
    assertThat(RetryHints.retryAfter(headers(Map.of("retry-after", "-3")), NOW)).isEmpty();
    assertThat(RetryHints.retryAfter(headers(Map.of("retry-after", "86400")), NOW)).isEmpty();
    assertThat(RetryHints.retryAfter(headers(Map.of()), NOW)).isEmpty();
  }

  @Test
  void shouldReadShouldRetryHeader() {
    assertThat(RetryHints.shouldRetry(headers(Map.of("x-should-retry", "true")))).contains(true);
    assertThat(RetryHints.shouldRetry(headers(Map.of("x-should-retry", "false")))).contains(false);
    assertThat(RetryHints.shouldRetry(headers(Map.of("x-should-retry", "maybe")))).isEmpty();
    assertThat(RetryHints.shouldRetry(headers(Map.of()))).isEmpty();
  }
}
