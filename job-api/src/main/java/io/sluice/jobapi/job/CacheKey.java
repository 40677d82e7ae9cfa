package io.sluice.jobapi.job;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The result cache's key of a request: the SHA-256 of what decides its answer (provider, model,
 * messages, parameters, schema). Scoped to a tenant where it is stored.
 *
 * @param sha256 the 32-byte digest
 */
public record CacheKey(byte[] sha256) {
  public CacheKey {
    Objects.requireNonNull(sha256, "sha256");
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a cache key is a 32-byte SHA-256");
    }
    sha256 = sha256.clone();
  }

  /** The key whose digest is written as 64 hex digits. */
  public static CacheKey ofHex(String hex) {
    return new CacheKey(HexFormat.of().parseHex(hex));
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheKey key && java.util.Arrays.equals(sha256, key.sha256);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(sha256);
  }
}
