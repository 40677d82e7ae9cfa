package io.sluice.providers.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The list price of one model, in USD per million tokens. Batch prices default to half the realtime
 * prices (both providers' batch discount).
 *
 * @param inputPerMillion USD per million input (prompt) tokens, realtime
 * @param outputPerMillion USD per million output (completion) tokens, realtime
 * @param batchInputPerMillion USD per million input tokens in a provider batch; {@code null} for
 *     half of {@code inputPerMillion}
 * @param batchOutputPerMillion USD per million output tokens in a provider batch; {@code null} for
 *     half of {@code outputPerMillion}
 */
public record ModelPrice(
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion,
    BigDecimal batchInputPerMillion,
    BigDecimal batchOutputPerMillion) {

  /** The batch discount both providers give: 50%. */
  public static final BigDecimal BATCH_FACTOR = new BigDecimal("0.5");

  public ModelPrice {
    requireNonNegative("input-per-million", inputPerMillion);
    requireNonNegative("output-per-million", outputPerMillion);
    batchInputPerMillion =
        batchInputPerMillion == null
            ? inputPerMillion.multiply(BATCH_FACTOR)
            : batchInputPerMillion;
    batchOutputPerMillion =
        batchOutputPerMillion == null
            ? outputPerMillion.multiply(BATCH_FACTOR)
            : batchOutputPerMillion;
    requireNonNegative("batch-input-per-million", batchInputPerMillion);
    requireNonNegative("batch-output-per-million", batchOutputPerMillion);
  }

  /**
   * A realtime price with the 50% batch discount.
   *
   * @param inputPerMillion e.g. {@code "2.50"}
   * @param outputPerMillion e.g. {@code "10.00"}
   */
  public static ModelPrice of(String inputPerMillion, String outputPerMillion) {
    return new ModelPrice(
        new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion), null, null);
  }

  private static void requireNonNegative(String key, BigDecimal value) {
    Objects.requireNonNull(value, key + " must be set");
    if (value.signum() < 0) {
      throw new IllegalArgumentException(key + " must not be negative, was " + value);
    }
  }
}
