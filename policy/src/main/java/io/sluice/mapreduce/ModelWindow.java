package io.sluice.mapreduce;

/**
 * A model one phase of a map-reduce job calls, with its context window (prompt and output
 * together). Sluice's catalogue does not list context windows; the caller supplies them (from the
 * deployment's model settings).
 *
 * @param model the model name, as the catalogue and the price table write it
 * @param contextTokens its context window
 */
public record ModelWindow(String model, long contextTokens) {

  public ModelWindow {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("a model name must not be blank");
    }
    if (contextTokens < 1) {
      throw new IllegalArgumentException(
          "model '" + model + "': context window must be at least 1, was " + contextTokens);
    }
  }
}
