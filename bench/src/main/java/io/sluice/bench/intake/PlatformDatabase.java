package io.sluice.bench.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The child platform's embedded PostgreSQL, read directly: {@code sluice local} keeps it under
 * {@code <data-dir>/postgres/pgdata}, whose {@code postmaster.pid} names the server's process and
 * port; connections from 127.0.0.1 are trusted (user {@code postgres}). job-api's tables are in the
 * {@code postgres} database.
 */
public final class PlatformDatabase implements AutoCloseable {
  private static final int CHECK_CHUNK = 5_000;
  private static final int MISSING_SHOWN = 10;

  private final long postmasterPid;
  private final Connection connection;

  private PlatformDatabase(long postmasterPid, Connection connection) {
    this.postmasterPid = postmasterPid;
    this.connection = connection;
  }

  /** Connects to the PostgreSQL of {@code sluice local --data-dir dataDir} (running). */
  public static PlatformDatabase of(Path dataDir) throws SQLException {
    List<String> pidFile = readPidFile(dataDir.resolve("postgres").resolve("pgdata"));
    long pid = Long.parseLong(pidFile.get(0).strip());
    int port = Integer.parseInt(pidFile.get(3).strip());
    Connection connection =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres");
    return new PlatformDatabase(pid, connection);
  }

  private static List<String> readPidFile(Path pgData) {
    try {
      return Files.readAllLines(pgData.resolve("postmaster.pid"));
    } catch (IOException e) {
      throw new UncheckedIOException("no postmaster.pid in " + pgData, e);
    }
  }

  /** CPU seconds of the server: the postmaster and its living backends and helpers. */
  public double cpuSeconds() {
    return ProcessCpu.treeSeconds(postmasterPid);
  }

  /** Job rows by status. */
  public Map<String, Long> jobsByStatus() throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (PreparedStatement query =
            connection.prepareStatement(
                "SELECT status, count(*) FROM jobs GROUP BY status ORDER BY status");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getLong(2));
      }
    }
    return counts;
  }

  /** Which of these job IDs have a row. */
  public CommittedCheck check(List<String> acceptedIds) throws SQLException {
    Set<String> distinct = new HashSet<>(acceptedIds);
    List<String> missing = new ArrayList<>();
    List<String> all = List.copyOf(distinct);
    long found = 0;
    for (int from = 0; from < all.size(); from += CHECK_CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + CHECK_CHUNK));
      Set<String> present = present(chunk);
      found += present.size();
      for (String id : chunk) {
        if (!present.contains(id) && missing.size() < MISSING_SHOWN) {
          missing.add(id);
        }
      }
    }
    return new CommittedCheck(acceptedIds.size(), distinct.size(), found, missing);
  }

  private Set<String> present(List<String> ids) throws SQLException {
    Set<String> present = new HashSet<>();
    Array array = connection.createArrayOf("text", ids.toArray());
    try (PreparedStatement query =
        connection.prepareStatement("SELECT id FROM jobs WHERE id = ANY(?)")) {
      query.setArray(1, array);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          present.add(rows.getString(1));
        }
      }
    } finally {
      array.free();
    }
    return present;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
