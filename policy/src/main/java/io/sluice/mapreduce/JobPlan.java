package io.sluice.mapreduce;

import java.util.List;

/**
 * A map-reduce job worked out before it runs: what the dispatcher needs to start it and what the
 * estimate reports.
 *
 * @param chunks the document's chunks, one map call each
 * @param mapCall the budget every map call was chunked for
 * @param reduceTree the tree the reduce will follow, with the grouping of the reduce calls
 * @param reducePlan the reduce rounds if every output is as long as its {@code max_tokens}
 * @param estimate calls, tokens and cost
 */
public record JobPlan(
    List<Chunk> chunks,
    CallBudget mapCall,
    ReduceTree reduceTree,
    ReducePlan reducePlan,
    MapReduceEstimate estimate) {

  public JobPlan {
    chunks = List.copyOf(chunks);
  }
}
