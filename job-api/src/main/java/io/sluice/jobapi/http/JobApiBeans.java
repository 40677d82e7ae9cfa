package io.sluice.jobapi.http;

/**
 * job-api's Micronaut beans require this property, so that another Micronaut context in the same
 * JVM (e.g. {@code sluice local} running every component) does not pick up job-api's controllers.
 */
public final class JobApiBeans {
  public static final String ENABLED = "sluice.job-api.enabled";

  /** The largest JSON body (setting maxBodyBytes), for error messages. */
  public static final String MAX_BODY_BYTES = "sluice.job-api.max-body-bytes";

  /** The largest file upload (setting bulk.maxFileBytes), for error messages. */
  public static final String MAX_FILE_BYTES = "sluice.job-api.max-file-bytes";

  private JobApiBeans() {}
}
