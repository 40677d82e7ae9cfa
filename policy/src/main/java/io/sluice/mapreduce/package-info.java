/**
 * The pure parts of map-reduce jobs: how a document too large for one call is split, how the
 * partial answers are combined, and what a job will cost before it starts. Plain Java, no Kafka,
 * HTTP or database; the dispatcher and job-api call into it.
 *
 * <h2>Chunking</h2>
 *
 * {@link io.sluice.mapreduce.Chunker} splits by tokens with the model's {@link
 * io.sluice.tokens.TokenEstimator}, the same estimator the workers reserve by, so that a chunk the
 * dispatcher thinks fits is the chunk the rate limiter is charged for. It prefers paragraph, then
 * sentence, then word boundaries (a piece is only cut finer when it does not fit whole), cuts only
 * at grapheme cluster boundaries ({@link java.text.BreakIterator#getCharacterInstance}), repeats up
 * to {@code overlap_tokens} of the previous chunk from a word start, and is deterministic. Every
 * chunk's exact count is measured, and is at most {@code chunk_tokens}, which must fit the map
 * call's {@link io.sluice.mapreduce.CallBudget}: {@code context − instruction − max_tokens −
 * margin}, the margin being 64 tokens plus 1% of the context window (message framing, a provider
 * tokenizer that counts differently). A {@link io.sluice.mapreduce.Chunk} is a range of the
 * document ({@code start}, {@code end}, {@code newTextStart}) with its index and token count, not a
 * copy of its text.
 *
 * <h2>Reduce</h2>
 *
 * {@link io.sluice.mapreduce.ReduceGrouping} packs one level's partial answers greedily, in order,
 * into groups that fit one reduce call; one answer too large alone is a {@link
 * io.sluice.mapreduce.ReduceFailure}. {@link io.sluice.mapreduce.ReduceTree} repeats that level by
 * level (level 0: the map outputs) until one call holds everything; its output is the final answer,
 * so there is always at least one reduce call. It fails clearly instead of looping: past the depth
 * bound ("does not converge within N levels"), or when a level is no smaller than the one it
 * combined (in answers, or with real outputs in tokens). The dispatcher asks {@code nextRound} as
 * each level completes; the estimate asks {@code plan} once, with every output assumed as long as
 * its {@code max_tokens}.
 *
 * <h2>Estimate and caps</h2>
 *
 * {@link io.sluice.mapreduce.MapReduceEstimator} runs the chunker on the document (chunk and map
 * call counts are exact), plans the tree with outputs at their {@code max_tokens} (reduce calls,
 * depth and tokens are upper bounds; real outputs shorter than that may need fewer), and prices
 * both phases at the realtime and the batch price. Prices come through {@link
 * io.sluice.mapreduce.ModelPrices}: Sluice keeps them in {@code providers}' {@code PriceTable},
 * which this module cannot depend on. {@link io.sluice.mapreduce.MapReduceCaps} checks {@code
 * max_chunks} and {@code max_cost_usd} against the estimate and returns a {@link
 * io.sluice.mapreduce.MapReduceRefusal} naming the limit and the estimate, which job-api answers
 * with a 422.
 */
package io.sluice.mapreduce;
