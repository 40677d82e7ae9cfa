package io.sluice.jobapi.http;

/**
 * job-api's Micronaut beans require this property, so that another Micronaut context in the same
 * JVM (e.g. {@code sluice local} running every component) does not pick up job-api's controllers.
 */
public final class JobApiBeans {
  public static final String ENABLED = "sluice.job-api.enabled";

  private JobApiBeans() {}
}
