package io.sluice.schemas.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One model a provider registration lists, with its list price in USD per million tokens.
 *
 * @param name the model name, as clients and the provider both write it
 * @param inputPerMillion realtime price of input (prompt) tokens
 * @param outputPerMillion realtime price of output tokens
 * @param batchInputPerMillion batch price of input tokens, or {@code null} for the usual 50%
 * @param batchOutputPerMillion batch price of output tokens, or {@code null} for the usual 50%
 */
public record CatalogModel(
    String name,
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion,
    BigDecimal batchInputPerMillion,
    BigDecimal batchOutputPerMillion) {

  public CatalogModel {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a catalogue model needs a name");
    }
    Objects.requireNonNull(inputPerMillion, "model '" + name + "' needs input_per_million");
    Objects.requireNonNull(outputPerMillion, "model '" + name + "' needs output_per_million");
  }
}
