package io.sluice.workers.internal;

import io.sluice.providers.RateLimitSnapshot;
import io.sluice.ratelimit.ProviderRateLimitReport;

/** Maps the providers module's {@link RateLimitSnapshot} onto the rate limiter's report. */
public final class RateLimitReports {
  private RateLimitReports() {}

  public static ProviderRateLimitReport of(RateLimitSnapshot snapshot) {
    if (snapshot == null || snapshot.isEmpty()) {
      return ProviderRateLimitReport.NONE;
    }
    return ProviderRateLimitReport.builder()
        .requests(snapshot.requestsLimit(), snapshot.requestsRemaining(), snapshot.requestsReset())
        .tokens(snapshot.tokensLimit(), snapshot.tokensRemaining(), snapshot.tokensReset())
        .inputTokens(
            snapshot.inputTokensLimit(),
            snapshot.inputTokensRemaining(),
            snapshot.inputTokensReset())
        .outputTokens(
            snapshot.outputTokensLimit(),
            snapshot.outputTokensRemaining(),
            snapshot.outputTokensReset())
        .build();
  }
}
