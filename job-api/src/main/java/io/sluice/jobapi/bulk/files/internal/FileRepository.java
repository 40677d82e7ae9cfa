package io.sluice.jobapi.bulk.files.internal;

import io.sluice.jobapi.bulk.files.BulkFile;
import io.sluice.jobapi.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL on the {@code files} and {@code file_chunks} tables. */
final class FileRepository {
  private static final String COLUMNS =
      "id, tenant_id, filename, purpose, kind, batch_id, bytes, created_at";

  void insert(Connection connection, BulkFile file) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO files (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      statement.setString(1, file.id());
      statement.setString(2, file.tenantId());
      statement.setString(3, file.filename());
      statement.setString(4, file.purpose());
      statement.setString(5, file.kind().wireName());
      statement.setString(6, file.batchId());
      statement.setLong(7, file.bytes());
      Sql.setInstant(statement, 8, file.createdAt());
      statement.executeUpdate();
    }
  }

  void finish(Connection connection, String fileId, String purpose, long bytes)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE files SET purpose = ?, bytes = ? WHERE id = ?")) {
      statement.setString(1, purpose);
      statement.setLong(2, bytes);
      statement.setString(3, fileId);
      statement.executeUpdate();
    }
  }

  void insertChunk(Connection connection, String fileId, int seq, byte[] data, int length)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO file_chunks (file_id, seq, data) VALUES (?, ?, ?)")) {
      statement.setString(1, fileId);
      statement.setInt(2, seq);
      statement.setBinaryStream(3, new java.io.ByteArrayInputStream(data, 0, length), length);
      statement.executeUpdate();
    }
  }

  /** The chunk's bytes, or {@code null} after the last chunk. */
  byte[] chunk(Connection connection, String fileId, int seq) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT data FROM file_chunks WHERE file_id = ? AND seq = ?")) {
      statement.setString(1, fileId);
      statement.setInt(2, seq);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? row.getBytes(1) : null;
      }
    }
  }

  Optional<BulkFile> find(Connection connection, String tenantId, String fileId)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM files WHERE id = ? AND tenant_id = ?")) {
      statement.setString(1, fileId);
      statement.setString(2, tenantId);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(toFile(row)) : Optional.empty();
      }
    }
  }

  /** Up to {@code limit + 1} files, newest first, after the file {@code after} if given. */
  List<BulkFile> list(
      Connection connection, String tenantId, String after, int limit, String purpose)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM files f WHERE tenant_id = ?");
    List<String> parameters = new ArrayList<>(List.of(tenantId));
    if (purpose != null) {
      sql.append(" AND purpose = ?");
      parameters.add(purpose);
    }
    if (after != null) {
      sql.append(
          " AND (created_at, id) < (SELECT a.created_at, a.id FROM files a"
              + " WHERE a.id = ? AND a.tenant_id = f.tenant_id)");
      parameters.add(after);
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setString(i + 1, parameters.get(i));
      }
      statement.setInt(parameters.size() + 1, limit + 1);
      List<BulkFile> files = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          files.add(toFile(rows));
        }
      }
      return files;
    }
  }

  boolean delete(Connection connection, String tenantId, String fileId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM files WHERE id = ? AND tenant_id = ?")) {
      statement.setString(1, fileId);
      statement.setString(2, tenantId);
      return statement.executeUpdate() > 0;
    }
  }

  private static BulkFile toFile(ResultSet row) throws SQLException {
    return new BulkFile(
        row.getString("id"),
        row.getString("tenant_id"),
        row.getString("filename"),
        row.getString("purpose"),
        BulkFile.Kind.fromWireName(row.getString("kind")),
        row.getString("batch_id"),
        row.getLong("bytes"),
        Sql.getInstant(row, "created_at"));
  }
}
