package io.sluice.simulator.internal.realtime;

import io.sluice.simulator.Enforcement;
import io.sluice.simulator.internal.answer.Answerer;
import io.sluice.simulator.internal.answer.Tokens;
import java.util.SplittableRandom;

/** Produces the deterministic answer of a call, cut to its {@code max_tokens}. */
public final class Completer {
  /** The cap when a call sets no {@code max_tokens}. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  private Completer() {}

  /**
   * The answer with the short pseudo-text for free text.
   *
   * @param call the call
   * @param prompt the last user message without its {@code #sim} line
   */
  public static Completion complete(ChatRequest call, String prompt) {
    return complete(call, prompt, Enforcement.EXACT);
  }

  /**
   * The answer; where it is free text and the enforcement draws output lengths (variant f), its
   * length is {@code max_tokens} times a share drawn uniformly in [{@link
   * Enforcement#outputShareMin()}, {@link Enforcement#outputShareMax()}] from the seed and the
   * prompt (the same call always gets the same length), cut at {@code max_tokens}. Computed answers
   * ({@code reverse:}, {@code uppercase:}, {@code sum:}) and JSON stay as they are.
   */
  public static Completion complete(
      ChatRequest call, String lastUserText, Enforcement enforcement) {
    return complete(call, lastUserText, enforcement, false);
  }

  /**
   * As {@link #complete(ChatRequest, String, Enforcement)}; with {@code violateSchema}, a call that
   * asks for a JSON schema gets JSON that violates it ({@code #sim invalid-output}).
   */
  public static Completion complete(
      ChatRequest call, String lastUserText, Enforcement enforcement, boolean violateSchema) {
    String prompt = Answerer.instructed(call.messages(), lastUserText);
    int cap = call.maxTokens() == null ? DEFAULT_MAX_TOKENS : call.maxTokens();
    if (enforcement.drawsOutputLengths()
        && Answerer.isFreeText(prompt, call.schema(), call.jsonObject())) {
      return drawn(call, cap, enforcement);
    }
    String full =
        Answerer.answer(prompt, call.seedText(), call.schema(), call.jsonObject(), violateSchema);
    Tokens.Truncated cut = Tokens.truncate(full, cap);
    return new Completion(cut.text(), cut.tokens(), cut.cut());
  }

  private static Completion drawn(ChatRequest call, int cap, Enforcement enforcement) {
    SplittableRandom random =
        new SplittableRandom(Answerer.seedOf(call.seedText()) ^ enforcement.seed());
    double share =
        enforcement.outputShareMin()
            + (enforcement.outputShareMax() - enforcement.outputShareMin()) * random.nextDouble();
    int length = (int) Math.max(1, Math.min(cap, Math.round(cap * share)));
    Tokens.Truncated cut = Tokens.truncate(Answerer.longText(call.seedText(), length), length);
    return new Completion(cut.text(), cut.tokens(), share * cap >= cap);
  }
}
