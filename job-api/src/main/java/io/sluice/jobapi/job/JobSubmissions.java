package io.sluice.jobapi.job;

/** Accepts jobs: what {@code POST /v1/jobs} hands a request body to. */
public interface JobSubmissions extends AutoCloseable {

  /**
   * Accepts a job for a tenant. When this returns, the job is committed and will reach {@code
   * sluice.jobs.submitted} even if the process dies now.
   *
   * @param idempotencyHeader the Idempotency-Key header, or {@code null}
   * @throws InvalidJobRequestException naming every bad field (body and header)
   * @throws io.sluice.jobapi.idempotency.IdempotencyKeyReusedException key used with another body
   * @throws io.sluice.jobapi.idempotency.IdempotencyKeyInFlightException a request with the key is
   *     being processed
   */
  Submission submit(String tenantId, byte[] body, String idempotencyHeader);

  /**
   * What a {@code map_reduce} job of this body would cost, without creating anything.
   *
   * @throws InvalidJobRequestException naming every bad field
   * @throws io.sluice.jobapi.mapreduce.MapReduceRefused when the job cannot run as asked
   */
  io.sluice.mapreduce.MapReduceEstimate estimate(byte[] body);

  /**
   * Stops accepting: a submission already taken is committed first, one arriving later is refused
   * with nothing stored. Idempotent.
   */
  @Override
  void close();
}
