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
  void aChunkedBodyIsReadToItsLastChunkAndTheEmptyTrailer() throws IOException {
    InputStream in = stream("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\nNEXT");

    boolean complete = BodyDiscard.discard(in, chunked());

    assertThat(complete).isTrue();
    assertThat(rest(in)).isEqualTo("NEXT");
  }

  @Test
  void theTrailersOfAChunkedBodyAreReadToo() throws IOException {
    InputStream in = stream("5\r\nhello\r\n0\r\nDigest: x\r\nMore: y\r\n\r\nNEXT");

    assertThat(BodyDiscard.discard(in, chunked())).isTrue();
    assertThat(rest(in)).isEqualTo("NEXT");
  }

  @Test
  void aChunkedBodyWithBrokenFramingIsNotComplete() {
    assertThat(BodyDiscard.discard(stream("5\r\nhello!!\r\n0\r\n\r\n"), chunked())).isFalse();
    assertThat(BodyDiscard.discard(stream("zz\r\nhello\r\n0\r\n\r\n"), chunked())).isFalse();
    assertThat(BodyDiscard.discard(stream("5\r\nhello\r\n0\r\n"), chunked())).isFalse();
    assertThat(BodyDiscard.discard(stream("-5\r\nhello\r\n0\r\n\r\n"), chunked())).isFalse();
  }

  @Test
  void aContentLengthBodyIsReadToItsLength() throws IOException {
    InputStream in = stream("helloNEXT");

    boolean complete = BodyDiscard.discard(in, length(5));

    assertThat(complete).isTrue();
    assertThat(rest(in)).isEqualTo("NEXT");
  }

  @Test
  void atMost64KiBAreReadAndALargerBodyIsNotComplete() throws IOException {
    InputStream in = new ByteArrayInputStream(new byte[100 * 1024]);

    boolean complete = BodyDiscard.discard(in, length(100 * 1024));

    assertThat(complete).isFalse();
    assertThat(in.available()).isEqualTo(36 * 1024);
  }

  @Test
  void aLargeChunkedBodyIsNotComplete() {
    String chunk = "x".repeat(40 * 1024);
    String body = "a000\r\n" + chunk + "\r\na000\r\n" + chunk + "\r\n0\r\n\r\n";

    assertThat(BodyDiscard.discard(stream(body), chunked())).isFalse();
  }

  @Test
  void aBodyCutShortIsNoErrorButNotComplete() {
    InputStream in = stream("hel");

    boolean complete = BodyDiscard.discard(in, length(5));

    assertThat(complete).isFalse();
    assertThat(in).isEmpty();
  }

  @Test
  void noContentHasNoBodyToRead() throws IOException {
    InputStream in = stream("NEXT");

    boolean complete =
        BodyDiscard.discard(in, new ResponseHead(204, Optional.empty(), 4, false, true));

    assertThat(complete).isTrue();
    assertThat(in.available()).isEqualTo(4);
  }

  private static ResponseHead chunked() {
    return new ResponseHead(200, Optional.empty(), -1, true, true);
  }

  private static ResponseHead length(long contentLength) {
    return new ResponseHead(200, Optional.empty(), contentLength, false, true);
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String rest(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
