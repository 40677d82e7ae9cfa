package io.sluice.jobapi.bulk.batches.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines of a stream: LF or CRLF, numbered, an over-long line skipped and flagged, not held. */
class LineReaderTest {

  @Test
  void shouldSplitNumberAndFlagOverLongLines() throws IOException {
    String text = "a\r\nbb\n" + "x".repeat(100_000) + "\n\nlast";
    LineReader reader =
        new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 10);

    List<String> lines = new ArrayList<>();
    for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
      lines.add(
          line.number()
              + ":"
              + (line.tooLong() ? "TOO LONG" : new String(line.bytes(), StandardCharsets.UTF_8)));
    }

    assertThat(lines).containsExactly("1:a", "2:bb", "3:TOO LONG", "4:", "5:last");
  }

  @Test
  void shouldAcceptALineOfExactlyTheLimitEndedByCrLf() throws IOException {
    LineReader reader =
        new LineReader(
            new ByteArrayInputStream("0123456789\r\n".getBytes(StandardCharsets.UTF_8)), 10);

    LineReader.Line line = reader.next();

    assertThat(line.tooLong()).isFalse();
    assertThat(new String(line.bytes(), StandardCharsets.UTF_8)).isEqualTo("0123456789");
    assertThat(reader.next()).isNull();
  }
}
