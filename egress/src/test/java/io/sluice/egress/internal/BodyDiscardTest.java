package io.sluice.egress.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BodyDiscardTest {
  @Test
  void aChunkedBodyIsReadToItsLastChunk() throws IOException {
    InputStream in = stream("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\nNEXT");

    BodyDiscard.discard(in, new ResponseHead(200, Optional.empty(), -1, true));

    assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("\r\nNEXT");
  }

  @Test
  void aContentLengthBodyIsReadToItsLength() throws IOException {
    InputStream in = stream("helloNEXT");

    BodyDiscard.discard(in, new ResponseHead(200, Optional.empty(), 5, false));

    assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("NEXT");
  }

  @Test
  void atMost64KiBAreRead() throws IOException {
    InputStream in = new ByteArrayInputStream(new byte[100 * 1024]);

    BodyDiscard.discard(in, new ResponseHead(200, Optional.empty(), 100 * 1024, false));

    assertThat(in.available()).isEqualTo(36 * 1024);
  }

  @Test
  void aBodyCutShortIsNoError() {
    InputStream in = stream("hel");

    BodyDiscard.discard(in, new ResponseHead(200, Optional.empty(), 5, false));

    assertThat(in).isEmpty();
  }

  @Test
  void noContentHasNoBodyToRead() throws IOException {
    InputStream in = stream("NEXT");

    BodyDiscard.discard(in, new ResponseHead(204, Optional.empty(), 4, false));

    assertThat(in.available()).isEqualTo(4);
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
