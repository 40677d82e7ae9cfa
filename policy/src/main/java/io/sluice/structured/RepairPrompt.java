package io.sluice.structured;

/**
 * The user message of a repair call: what was wrong with the previous answer (the validation
 * errors, bounded by {@link Violations#summary()}) and what to answer instead. It never repeats the
 * answer (that is the assistant message before it) nor the schema (the call carries it).
 */
public final class RepairPrompt {
  private RepairPrompt() {}

  public static String text(Violations violations) {
    return "Your previous answer does not satisfy the required JSON Schema (the response schema of"
        + " this request). Validation errors: "
        + violations.summary()
        + "\nAnswer again with only a JSON value that satisfies the schema: no other text, no"
        + " code fence.";
  }
}
