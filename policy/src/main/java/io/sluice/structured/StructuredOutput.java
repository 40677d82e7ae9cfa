package io.sluice.structured;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import java.util.List;
import java.util.Optional;

/**
 * Structured output with repair, as a pure decision: after each successful call of a task with a
 * response schema, {@link #judge} says whether its answer is accepted (the parsed JSON), repaired
 * (call again with the conversation continued by the answer and a {@link RepairPrompt}) or given up
 * ({@value #OUTPUT_SCHEMA_MISMATCH} with the last validation errors, once {@code maxRepairs} repair
 * calls did not help). The caller makes the calls, with the same admission, circuit breaker and
 * retries as a first call.
 */
public final class StructuredOutput {
  /** The error code of a task whose output never satisfied its response schema. */
  public static final String OUTPUT_SCHEMA_MISMATCH = "output_schema_mismatch";

  /** The error code of a task whose response schema cannot be used. */
  public static final String INVALID_RESPONSE_SCHEMA = "invalid_response_schema";

  /** Repair calls a task may make when its request does not say. */
  public static final int DEFAULT_MAX_REPAIRS = 2;

  /** The most repair calls a request may ask for. */
  public static final int MAX_REPAIRS = 5;

  private final ResponseSchema schema;
  private final int maxRepairs;

  private StructuredOutput(ResponseSchema schema, int maxRepairs) {
    this.schema = schema;
    this.maxRepairs = maxRepairs;
  }

  /**
   * The structured-output rule of {@code request}: empty without a response schema.
   *
   * @throws InvalidResponseSchemaException when its schema cannot be used
   */
  public static Optional<StructuredOutput> of(CompletionSpec request) {
    if (request.responseSchema() == null) {
      return Optional.empty();
    }
    Integer asked = request.maxRepairs();
    int repairs = asked == null ? DEFAULT_MAX_REPAIRS : Math.clamp(asked, 0, MAX_REPAIRS);
    return Optional.of(
        new StructuredOutput(ResponseSchema.compile(request.responseSchema()), repairs));
  }

  public int maxRepairs() {
    return maxRepairs;
  }

  /** What to do after a call. */
  public sealed interface Step {}

  /** The answer satisfies the schema: its parsed JSON. */
  public record Accept(JsonNode json) implements Step, Check {}

  /** Call again with {@code request}; {@code violations} is what was wrong. */
  public record Repair(CompletionSpec request, Violations violations) implements Step {}

  /** Stop: the task fails with {@code error}. */
  public record GiveUp(ErrorInfo error) implements Step {}

  /**
   * @param sent the request whose answer this is (the original or a repair call's)
   * @param answer the model's answer
   * @param repairsDone repair calls already made, {@code sent} included when it was one
   */
  public Step judge(CompletionSpec sent, String answer, int repairsDone) {
    Violations violations;
    switch (check(answer)) {
      case Accept accepted -> {
        return accepted;
      }
      case Failed failed -> violations = failed.violations();
    }
    if (repairsDone >= maxRepairs) {
      return new GiveUp(mismatch(violations, repairsDone));
    }
    List<ChatMessage> turn =
        List.of(ChatMessage.assistant(answer), ChatMessage.user(RepairPrompt.text(violations)));
    return new Repair(sent.continuedWith(turn), violations);
  }

  /** What checking an answer found. */
  sealed interface Check {}

  /** The answer is not JSON, or does not satisfy the schema. */
  record Failed(Violations violations) implements Check {}

  /** The answer's JSON, or its problems: not JSON, or where it does not satisfy the schema. */
  Check check(String answer) {
    return switch (JsonText.read(answer)) {
      case JsonText.NotJson notJson -> new Failed(Violations.of(notJson.problem()));
      case JsonText.Value value -> {
        Violations found = schema.violations(value.json());
        yield found.isEmpty() ? new Accept(value.json()) : new Failed(found);
      }
    };
  }

  private static ErrorInfo mismatch(Violations violations, int repairs) {
    return ErrorInfo.permanent(
        OUTPUT_SCHEMA_MISMATCH,
        "the output does not satisfy response_schema after "
            + repairs
            + (repairs == 1 ? " repair" : " repairs")
            + ": "
            + violations.summary());
  }
}
