package io.sluice.simulator.internal.realtime;

/**
 * A generated answer.
 *
 * @param text the output text
 * @param outputTokens its tokens
 * @param cutByMaxTokens whether the answer was cut to {@code max_tokens} (finish reason {@code
 *     length} / stop reason {@code max_tokens})
 */
public record Completion(String text, int outputTokens, boolean cutByMaxTokens) {}
