package io.sluice.jobapi.bulk.files.internal;

import io.sluice.jobapi.bulk.BulkIds;
import io.sluice.jobapi.bulk.BulkSettings;
import io.sluice.jobapi.bulk.files.BulkFile;
import io.sluice.jobapi.bulk.files.BulkFiles;
import io.sluice.jobapi.bulk.files.FilePage;
import io.sluice.jobapi.bulk.files.FileTooLargeException;
import io.sluice.jobapi.bulk.files.ProducedContent;
import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.InvalidJobRequestException;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BulkFiles} on PostgreSQL. An upload is written in {@link #CHUNK_BYTES} chunks while it
 * streams in, inside one transaction: over the limit or with a bad form, the transaction rolls back
 * and nothing stays.
 */
public final class FileStore implements BulkFiles {
  private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
  static final int CHUNK_BYTES = 1024 * 1024;
  public static final String PURPOSE_BATCH = "batch";
  private static final int MAX_PURPOSE_BYTES = 64;

  private final Database database;
  private final FileRepository files = new FileRepository();
  private final BulkIds ids;
  private final long maxFileBytes;
  private final ProducedContent produced;
  private final Clock clock;

  public FileStore(
      Database database, BulkIds ids, long maxFileBytes, ProducedContent produced, Clock clock) {
    this.database = database;
    this.ids = ids;
    this.maxFileBytes = maxFileBytes;
    this.produced = produced;
    this.clock = clock;
  }

  @Override
  public BulkFile upload(String tenantId, String contentType, Long declaredLength, InputStream body)
      throws IOException {
    if (declaredLength != null
        && declaredLength > maxFileBytes + BulkSettings.FORM_ALLOWANCE_BYTES) {
      throw new FileTooLargeException(maxFileBytes);
    }
    MultipartReader form =
        MultipartReader.of(contentType, body)
            .orElseThrow(
                () ->
                    invalid(
                        "body",
                        "must be multipart/form-data (with a boundary) holding the parts file"
                            + " and purpose"));
    try {
      return database.inTransaction(c -> readForm(c, tenantId, form));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private BulkFile readForm(Connection connection, String tenantId, MultipartReader form)
      throws SQLException {
    try {
      String purpose = null;
      BulkFile file = null;
      for (var part = form.next(); part.isPresent(); part = form.next()) {
        MultipartReader.Part p = part.get();
        if ("purpose".equals(p.name())) {
          purpose = readPurpose(p.body());
        } else if ("file".equals(p.name())) {
          if (file != null) {
            throw invalid("file", "is given twice; send one file per upload");
          }
          file = store(connection, tenantId, p);
        }
      }
      if (file == null) {
        throw invalid("file", "is required (a multipart part named file, with a filename)");
      }
      if (!PURPOSE_BATCH.equals(purpose)) {
        throw invalid(
            "purpose",
            purpose == null
                ? "is required and must be batch"
                : "must be batch (the only purpose Sluice stores files for)");
      }
      return file;
    } catch (MultipartReader.MalformedMultipartException e) {
      throw invalid("body", "is not a well-formed multipart form: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readPurpose(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(MAX_PURPOSE_BYTES + 1);
    if (bytes.length > MAX_PURPOSE_BYTES) {
      throw invalid("purpose", "must be batch");
    }
    return new String(bytes, StandardCharsets.UTF_8).strip();
  }

  private BulkFile store(Connection connection, String tenantId, MultipartReader.Part part)
      throws SQLException, IOException {
    String filename =
        part.filename() == null || part.filename().isBlank() ? "upload.jsonl" : part.filename();
    BulkFile file =
        new BulkFile(
            ids.nextFile(),
            tenantId,
            filename,
            PURPOSE_BATCH,
            BulkFile.Kind.UPLOAD,
            null,
            0,
            Clocks.now(clock));
    files.insert(connection, file);
    byte[] chunk = new byte[CHUNK_BYTES];
    long total = 0;
    int seq = 0;
    while (true) {
      int n = part.body().readNBytes(chunk, 0, CHUNK_BYTES);
      if (n == 0) {
        break;
      }
      total += n;
      if (total > maxFileBytes) {
        throw new FileTooLargeException(maxFileBytes);
      }
      files.insertChunk(connection, file.id(), seq++, chunk, n);
    }
    files.finish(connection, file.id(), PURPOSE_BATCH, total);
    LOG.debug("stored file {} of tenant {}: {} bytes", file.id(), tenantId, total);
    return new BulkFile(
        file.id(),
        tenantId,
        filename,
        PURPOSE_BATCH,
        BulkFile.Kind.UPLOAD,
        null,
        total,
        file.createdAt());
  }

  @Override
  public Optional<BulkFile> find(String tenantId, String fileId) {
    if (!BulkIds.isFileId(fileId)) {
      return Optional.empty();
    }
    return database.inTransaction(c -> files.find(c, tenantId, fileId));
  }

  @Override
  public FilePage list(String tenantId, String after, int limit, String purpose) {
    List<BulkFile> rows =
        database.inTransaction(c -> files.list(c, tenantId, after, limit, purpose));
    boolean more = rows.size() > limit;
    return new FilePage(more ? rows.subList(0, limit) : rows, more);
  }

  @Override
  public boolean delete(String tenantId, String fileId) {
    if (!BulkIds.isFileId(fileId)) {
      return false;
    }
    return database.inTransaction(c -> files.delete(c, tenantId, fileId));
  }

  @Override
  public InputStream open(BulkFile file) throws IOException {
    return file.kind() == BulkFile.Kind.UPLOAD ? new ChunkStream(file.id()) : pipe(file);
  }

  @Override
  public void recordProduced(Transaction tx, BulkFile file) {
    try {
      files.insert(tx.connection(), file);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  // The producer writes on a virtual thread while the reader (the HTTP response) reads: the
  // content exists only one pipe buffer at a time.
  private InputStream pipe(BulkFile file) throws IOException {
    PipedInputStream in = new PipedInputStream(64 * 1024);
    PipedOutputStream out = new PipedOutputStream(in);
    Thread.ofVirtual()
        .name("sluice-file-" + file.id())
        .start(
            () -> {
              try (out) {
                produced.writeTo(file, out);
              } catch (IOException | RuntimeException e) {
                LOG.info(
                    "stopped writing file {}: {} (the reader went away or the store failed)",
                    file.id(),
                    e.getClass().getSimpleName());
              }
            });
    return in;
  }

  private static InvalidJobRequestException invalid(String field, String message) {
    return InvalidJobRequestException.of(List.of(new FieldError(field, message)));
  }

  /** An upload's content, one chunk (one short query) at a time. */
  private final class ChunkStream extends InputStream {
    private final String fileId;
    private byte[] chunk = new byte[0];
    private int pos;
    private int seq;
    private boolean end;

    ChunkStream(String fileId) {
      this.fileId = fileId;
    }

    @Override
    public int read() {
      return ensure() ? chunk[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (!ensure()) {
        return -1;
      }
      int n = Math.min(length, chunk.length - pos);
      System.arraycopy(chunk, pos, target, offset, n);
      pos += n;
      return n;
    }

    private boolean ensure() {
      while (!end && pos == chunk.length) {
        int next = seq++;
        byte[] data = database.inTransaction(c -> files.chunk(c, fileId, next));
        if (data == null) {
          end = true;
        } else {
          chunk = data;
          pos = 0;
        }
      }
      return !end;
    }
  }
}
