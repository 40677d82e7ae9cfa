package io.sluice.jobapi.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jobapi.job.Job;
import io.sluice.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The body of a job event: {@code {"type", "timestamp", "data": {...}}}. The job's output is inline
 * when it is under {@value #INLINE_OUTPUT_BYTES} bytes of UTF-8, otherwise {@code result_url} says
 * where to fetch it ({@code GET /v1/jobs/{id}}).
 */
public final class WebhookPayloads {
  public static final int INLINE_OUTPUT_BYTES = 20 * 1024;
  private static final ObjectMapper JSON = Json.mapper();

  private WebhookPayloads() {}

  public static String of(EventType type, Job job, Instant timestamp) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", type.wireName());
    root.put("timestamp", timestamp.toString());
    root.set("data", data(job));
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the webhook payload of " + job.id());
    }
  }

  /**
   * The body of a batch event: {@code data} is the batch's ID, status, {@code request_counts},
   * result file IDs and metadata.
   */
  public static String ofBatch(
      EventType type,
      io.sluice.jobapi.bulk.batches.Batch batch,
      io.sluice.jobapi.bulk.batches.RequestCounts counts,
      Instant timestamp) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", type.wireName());
    root.put("timestamp", timestamp.toString());
    ObjectNode data = root.putObject("data");
    data.put("id", batch.id());
    data.put("object", "batch");
    data.put("status", batch.status().wireName());
    data.set("request_counts", JSON.valueToTree(counts));
    data.put("output_file_id", batch.outputFileId());
    data.put("error_file_id", batch.errorFileId());
    data.set("metadata", JSON.valueToTree(batch.metadata()));
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the webhook payload of " + batch.id());
    }
  }

  private static ObjectNode data(Job job) {
    Job.JobOutcome outcome = job.outcome();
    ObjectNode data = JSON.createObjectNode();
    data.put("id", job.id());
    data.put("object", "job");
    data.put("status", job.status().wireName());
    data.put("model", job.model());
    putOutput(data, job);
    if (job.outcome().repairs() != null) {
      data.put("repairs", job.outcome().repairs());
    }
    if (outcome.usage() != null) {
      data.set("usage", JSON.valueToTree(outcome.usage()));
    }
    if (outcome.costUsd() != null) {
      data.put("cost_usd", outcome.costUsd());
    }
    if (outcome.cacheHit() != null) {
      data.put("cached", true);
      data.put("cached_from", outcome.cacheHit().jobId());
    }
    if (outcome.error() != null) {
      data.set("error", JSON.valueToTree(outcome.error()));
    }
    if (outcome.providerAttempts() != null) {
      data.put("provider", outcome.provider());
      data.put("provider_model", outcome.providerModel());
      data.set("provider_attempts", JSON.valueToTree(outcome.providerAttempts()));
    }
    data.set("metadata", JSON.valueToTree(job.metadata()));
    data.put("created_at", job.createdAt().toString());
    if (outcome.finishedAt() != null) {
      data.put("finished_at", outcome.finishedAt().toString());
    }
    return data;
  }

  private static void putOutput(ObjectNode data, Job job) {
    String output = job.outcome().output();
    if (output == null) {
      return;
    }
    if (output.getBytes(StandardCharsets.UTF_8).length < INLINE_OUTPUT_BYTES) {
      data.put("output", output);
      if (job.outcome().outputJson() != null) {
        data.set("output_json", job.outcome().outputJson());
      }
    } else {
      data.put("result_url", "/v1/jobs/" + job.id());
    }
  }
}
