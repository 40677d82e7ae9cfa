package io.sluice.bench.scenario;

/** How a provider counts tokens against its limits. */
public enum Accounting {
  /** One token limit; a call costs its prompt plus its {@code max_tokens} at admission. */
  OPENAI,
  /** Input and output tokens limited apart; output is counted as actually produced. */
  ANTHROPIC
}
