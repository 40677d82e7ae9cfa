package io.sluice.jobapi.bulk.files;

import java.io.IOException;
import java.io.OutputStream;

/** Writes the content of a produced file (a batch's output or error file) as it is read. */
@FunctionalInterface
public interface ProducedContent {
  ProducedContent NONE =
      (file, out) -> {
        throw new IllegalStateException("no producer for file kind " + file.kind());
      };

  void writeTo(BulkFile file, OutputStream out) throws IOException;
}
