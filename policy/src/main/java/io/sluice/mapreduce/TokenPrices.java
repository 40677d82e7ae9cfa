package io.sluice.mapreduce;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A model's prices in USD per million tokens, realtime and in a provider batch.
 *
 * @param inputPerMillion realtime input
 * @param outputPerMillion realtime output
 * @param batchInputPerMillion batch input
 * @param batchOutputPerMillion batch output
 */
public record TokenPrices(
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion,
    BigDecimal batchInputPerMillion,
    BigDecimal batchOutputPerMillion) {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  public TokenPrices {
    Objects.requireNonNull(inputPerMillion, "inputPerMillion");
    Objects.requireNonNull(outputPerMillion, "outputPerMillion");
    Objects.requireNonNull(batchInputPerMillion, "batchInputPerMillion");
    Objects.requireNonNull(batchOutputPerMillion, "batchOutputPerMillion");
  }

  /** USD for these tokens, exact, at the realtime or the batch price. */
  public BigDecimal cost(long inputTokens, long outputTokens, PriceBasis basis) {
    boolean batch = basis == PriceBasis.BATCH;
    BigDecimal input =
        BigDecimal.valueOf(inputTokens).multiply(batch ? batchInputPerMillion : inputPerMillion);
    BigDecimal output =
        BigDecimal.valueOf(outputTokens).multiply(batch ? batchOutputPerMillion : outputPerMillion);
    return input.add(output).divide(MILLION);
  }
}
