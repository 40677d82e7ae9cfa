package io.sluice.simulator.internal.realtime;

import io.sluice.simulator.internal.answer.Answerer;
import io.sluice.simulator.internal.answer.Tokens;

/** Produces the deterministic answer of a call, cut to its {@code max_tokens}. */
public final class Completer {
  /** The cap when a call sets no {@code max_tokens}. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  private Completer() {}

  /**
   * @param call the call
   * @param prompt the last user message without its {@code #sim} line
   */
  public static Completion complete(ChatRequest call, String prompt) {
    String full = Answerer.answer(prompt, call.seedText(), call.schema(), call.jsonObject());
    int cap = call.maxTokens() == null ? DEFAULT_MAX_TOKENS : call.maxTokens();
    Tokens.Truncated cut = Tokens.truncate(full, cap);
    return new Completion(cut.text(), cut.tokens(), cut.cut());
  }
}
