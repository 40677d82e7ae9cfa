package io.sluice.bench.measure;

import io.sluice.bench.scenario.Limits;
import io.sluice.schemas.model.LimitStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one window of a run used: per limit, the rate and its share of the limit, and which limit
 * was binding (the one used most).
 */
public record WindowFigures(
    double fromSeconds,
    double toSeconds,
    List<LimitUse> uses,
    String binding,
    double bindingShare,
    long requests,
    long rateLimited,
    long errors,
    double usefulTokensPerMinute) {

  /** The figures of the counts between two samples against the limits. */
  public static WindowFigures between(Sample from, Sample to, Limits limits) {
    Sample delta = to.minus(from);
    double minutes = delta.seconds() / 60.0;
    List<LimitUse> uses = new ArrayList<>();
    uses.add(LimitUse.of("rpm", delta.requests() / minutes, limits.rpm()));
    if (limits.accounting() == LimitStyle.REQUESTS_AND_TOKENS) {
      uses.add(LimitUse.of("tpm", delta.chargedTokens() / minutes, limits.tpm()));
    } else {
      uses.add(LimitUse.of("itpm", delta.inputTokens() / minutes, limits.itpm()));
      if (limits.accounting() == LimitStyle.REQUESTS_INPUT_AND_OUTPUT_TOKENS) {
        uses.add(LimitUse.of("otpm", delta.outputTokens() / minutes, limits.otpm()));
      }
    }
    LimitUse binding = uses.stream().max(Comparator.comparingDouble(LimitUse::share)).orElseThrow();
    return new WindowFigures(
        from.seconds(),
        to.seconds(),
        List.copyOf(uses),
        binding.limit(),
        binding.share(),
        delta.requests(),
        delta.rateLimited(),
        delta.errors(),
        delta.usefulTokens() / minutes);
  }
}
