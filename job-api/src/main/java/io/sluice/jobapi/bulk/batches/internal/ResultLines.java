package io.sluice.jobapi.bulk.batches.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.jobapi.bulk.batches.Batch;
import io.sluice.jobapi.bulk.batches.BatchStatus;
import io.sluice.jobapi.bulk.files.BulkFile;
import io.sluice.jobapi.bulk.files.ProducedContent;
import io.sluice.jobapi.job.BatchJobs;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.store.Database;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * Writes a batch's output and error files from its job rows, line by line as they are read through
 * a cursor, in OpenAI's format: {@code {"id", "custom_id", "response": {"status_code",
 * "request_id", "body"}, "error"}}. The body of a succeeded line is a {@code chat.completion}
 * whatever provider ran it; a failed, cancelled or expired line has {@code response: null} and an
 * {@code error} with a code ({@code batch_cancelled}, {@code batch_expired}, or the job's own).
 */
final class ResultLines implements ProducedContent {
  private static final List<JobStatus> SUCCEEDED = List.of(JobStatus.SUCCEEDED);
  private static final List<JobStatus> ERRORED =
      List.of(JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.EXPIRED);

  private final Database database;
  private final BatchRepository batches;
  private final BatchJobs jobs;

  ResultLines(Database database, BatchRepository batches, BatchJobs jobs) {
    this.database = database;
    this.batches = batches;
    this.jobs = jobs;
  }

  @Override
  public void writeTo(BulkFile file, OutputStream out) throws IOException {
    Batch batch =
        database
            .inTransaction(c -> batches.findAny(c, file.batchId()))
            .orElseThrow(() -> new IllegalStateException("no batch " + file.batchId()));
    write(batch, file.kind() == BulkFile.Kind.BATCH_OUTPUT, out);
  }

  /** Writes the output ({@code output} true) or error file of the batch; returns its size. */
  long write(Batch batch, boolean output, OutputStream target) throws IOException {
    Counting out = new Counting(target);
    try (JsonGenerator json =
        Json.mapper().getFactory().createGenerator((OutputStream) out, JsonEncoding.UTF8)) {
      json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      jobs.forEach(
          batch.id(),
          output ? SUCCEEDED : ERRORED,
          line -> {
            if (output) {
              writeSucceeded(json, line);
            } else {
              writeErrored(json, batch, line);
            }
            json.writeRaw('\n');
          });
    }
    out.flush();
    return out.count;
  }

  private static void writeSucceeded(JsonGenerator json, BatchJobs.Line line) throws IOException {
    Job job = line.job();
    json.writeStartObject();
    json.writeStringField("id", requestId(job));
    json.writeStringField("custom_id", line.customId());
    json.writeObjectFieldStart("response");
    json.writeNumberField("status_code", 200);
    json.writeStringField("request_id", job.id());
    writeCompletion(json, job);
    json.writeEndObject();
    json.writeNullField("error");
    json.writeEndObject();
  }

  private static void writeCompletion(JsonGenerator json, Job job) throws IOException {
    Job.JobOutcome outcome = job.outcome();
    Instant finished = outcome.finishedAt() == null ? job.updatedAt() : outcome.finishedAt();
    json.writeObjectFieldStart("body");
    json.writeStringField("id", "chatcmpl-" + job.id().substring(4));
    json.writeStringField("object", "chat.completion");
    json.writeNumberField("created", finished.getEpochSecond());
    json.writeStringField(
        "model", outcome.providerModel() == null ? job.model() : outcome.providerModel());
    json.writeArrayFieldStart("choices");
    json.writeStartObject();
    json.writeNumberField("index", 0);
    json.writeObjectFieldStart("message");
    json.writeStringField("role", "assistant");
    json.writeStringField("content", outcome.output());
    json.writeEndObject();
    json.writeStringField("finish_reason", "stop");
    json.writeEndObject();
    json.writeEndArray();
    TokenUsage usage = outcome.usage() == null ? TokenUsage.NONE : outcome.usage();
    json.writeObjectFieldStart("usage");
    json.writeNumberField("prompt_tokens", usage.inputTokens());
    json.writeNumberField("completion_tokens", usage.outputTokens());
    json.writeNumberField("total_tokens", usage.inputTokens() + usage.outputTokens());
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void writeErrored(JsonGenerator json, Batch batch, BatchJobs.Line line)
      throws IOException {
    Job job = line.job();
    json.writeStartObject();
    json.writeStringField("id", requestId(job));
    json.writeStringField("custom_id", line.customId());
    json.writeNullField("response");
    json.writeObjectFieldStart("error");
    json.writeStringField("code", errorCode(batch, job));
    json.writeStringField("message", errorMessage(batch, job));
    json.writeEndObject();
    json.writeEndObject();
  }

  private static String errorCode(Batch batch, Job job) {
    if (job.status() == JobStatus.EXPIRED || batch.status() == BatchStatus.EXPIRED) {
      return "batch_expired";
    }
    if (job.status() == JobStatus.CANCELLED) {
      return "batch_cancelled";
    }
    ErrorInfo error = job.outcome().error();
    return error == null ? "failed" : error.code();
  }

  private static String errorMessage(Batch batch, Job job) {
    return switch (errorCode(batch, job)) {
      case "batch_expired" ->
          "This request could not be executed before the completion window expired.";
      case "batch_cancelled" -> "The batch was cancelled before this request finished.";
      default -> job.outcome().error() == null ? "failed" : job.outcome().error().message();
    };
  }

  private static String requestId(Job job) {
    return "batch_req_" + job.id().substring(4);
  }

  /** Counts the bytes written. */
  private static final class Counting extends FilterOutputStream {
    private long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
