package io.sluice.embedded.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** postgresql.conf settings for an embedded server on 127.0.0.1. */
public final class PostgresServerConfig {

  private PostgresServerConfig() {}

  public static Map<String, String> settings(boolean fast) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("listen_addresses", "127.0.0.1");
    settings.put("timezone", "UTC");
    settings.put("max_connections", "300");
    settings.put("unix_socket_directories", "");
    if (fast) {
      settings.put("fsync", "off");
      settings.put("synchronous_commit", "off");
      settings.put("full_page_writes", "off");
    } else {
      // Sluice answers 202 only after a commit is durable; local mode keeps that promise.
      settings.put("synchronous_commit", "on");
    }
    return settings;
  }
}
