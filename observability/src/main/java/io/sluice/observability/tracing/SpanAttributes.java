package io.sluice.observability.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attributes Sluice puts on its spans: identifiers, routing and counts only. Never a prompt, an
 * output, job metadata or a key.
 */
public final class SpanAttributes {
  public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("sluice.job.id");
  public static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("sluice.task.id");
  public static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey("sluice.tenant.id");
  public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("sluice.provider");
  public static final AttributeKey<String> MODEL = AttributeKey.stringKey("sluice.model");
  public static final AttributeKey<String> LANE = AttributeKey.stringKey("sluice.lane");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("sluice.outcome");
  public static final AttributeKey<Long> TASKS = AttributeKey.longKey("sluice.tasks");
  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("sluice.attempt");
  public static final AttributeKey<Long> DELIVERY_COUNT =
      AttributeKey.longKey("sluice.delivery_count");
  public static final AttributeKey<Long> INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<String> HTTP_METHOD =
      AttributeKey.stringKey("http.request.method");
  public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  public static final AttributeKey<Long> HTTP_STATUS =
      AttributeKey.longKey("http.response.status_code");

  private SpanAttributes() {}
}
