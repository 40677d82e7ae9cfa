package io.sluice.observability.tracing;

/** The names of Sluice's own spans (job-api's server spans are named {@code <method> <route>}). */
public final class SpanNames {
  /** dispatcher: one submitted job (or map-reduce chunk) routed to its tasks. */
  public static final String DISPATCH = "sluice.dispatch";

  /** dispatcher: one task result read by completion. */
  public static final String COMPLETE = "sluice.complete";

  /** workers: one delivery of a task handled, from admission to its published result. */
  public static final String TASK = "sluice.task";

  /** workers: one call of the provider's API (a retry is another one). */
  public static final String PROVIDER_CALL = "sluice.provider.call";

  private SpanNames() {}
}
