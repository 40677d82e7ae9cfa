package io.sluice.jobapi.tenant;

/** Maps an {@code Authorization} header to the tenant whose API key it carries. */
public interface Authenticator {

  /**
   * The ID of the tenant the header authenticates as.
   *
   * @throws AuthenticationFailedException when the header is missing, malformed, or names no active
   *     key
   */
  String tenantOf(String authorizationHeader);
}
