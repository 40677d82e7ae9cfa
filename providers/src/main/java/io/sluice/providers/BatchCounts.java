package io.sluice.providers;

/**
 * Line counts a provider reported for a batch. OpenAI only counts completed and failed lines, so
 * its expired and cancelled lines are inside {@code errored} until the results are read.
 *
 * @param total lines in the batch
 * @param processing lines not finished yet
 * @param succeeded lines that produced a response
 * @param errored lines that failed
 * @param expired lines that expired (Anthropic)
 * @param cancelled lines that were cancelled (Anthropic)
 */
public record BatchCounts(
    long total, long processing, long succeeded, long errored, long expired, long cancelled) {}
