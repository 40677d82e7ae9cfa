package io.sluice.scaling;

/**
 * The recent tasks of one model: their share of all recent tasks and their mean size (tokens as the
 * provider counts them at admission: the input estimate, and the output reserved or used).
 */
public record TaskShape(String model, double share, double inputTokens, double outputTokens) {

  public TaskShape {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share of " + model + " must be in (0, 1]: " + share);
    }
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token means of " + model + " must not be negative");
    }
  }
}
