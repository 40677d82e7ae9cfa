package io.sluice.jobapi.job;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a page of {@code GET /v1/jobs} ended: the last job's {@code created_at} and ID. The next
 * page starts strictly after it in the order (created_at, id) descending, so jobs arriving
 * meanwhile (newer, hence before it) never shift a page. On the wire it is opaque: base64url of
 * {@code v1:<created_at in epoch microseconds>:<id>}.
 *
 * @param createdAt the last listed job's creation time, at PostgreSQL's microsecond precision
 * @param jobId the last listed job's ID
 */
public record JobCursor(Instant createdAt, String jobId) {
  private static final String VERSION = "v1";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final long MAX_MICROS =
      ChronoUnit.MICROS.between(Instant.EPOCH, JobListQuery.LATEST);

  public JobCursor {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(jobId, "jobId");
  }

  /** The cursor after this job. */
  public static JobCursor after(Job job) {
    return new JobCursor(job.createdAt(), job.id());
  }

  public String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
    String plain = VERSION + ":" + micros + ":" + jobId;
    return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor this text encodes; empty when it is not one this API made. */
  public static Optional<JobCursor> decode(String text) {
    try {
      String[] parts = new String(DECODER.decode(text), StandardCharsets.UTF_8).split(":", -1);
      if (parts.length != 3 || !parts[0].equals(VERSION) || !JobIds.isWellFormed(parts[2])) {
        return Optional.empty();
      }
      long micros = Long.parseLong(parts[1]);
      if (micros < 0 || micros > MAX_MICROS) {
        return Optional.empty(); // PostgreSQL would refuse it, and no job was created then
      }
      return Optional.of(new JobCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), parts[2]));
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      return Optional.empty(); // not base64url, not a number, or out of Instant's range
    }
  }
}
