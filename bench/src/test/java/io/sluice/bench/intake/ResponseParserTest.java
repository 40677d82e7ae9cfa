package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
  private static final String ACCEPTED_BODY =
      "{\"id\":\"job_019af3\",\"status\":\"queued\",\"metadata\":{\"id\":\"not-this\"}}";
  private static final String ACCEPTED =
      "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\ncontent-length: "
          + ACCEPTED_BODY.length()
          + "\r\n\r\n"
          + ACCEPTED_BODY;

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void readsTheStatusAndTheJobIdOfAWholeResponse() {
    ResponseParser parser = new ResponseParser();

    assertThat(parser.feed(bytes(ACCEPTED))).isTrue();
    assertThat(parser.status()).isEqualTo(202);
    assertThat(parser.jobId()).isEqualTo("job_019af3");
    assertThat(parser.closesConnection()).isFalse();
  }

  @Test
  void waitsForTheWholeBodyWhenItArrivesInPieces() {
    ResponseParser parser = new ResponseParser();

    assertThat(parser.feed(bytes(ACCEPTED.substring(0, 20)))).isFalse();
    assertThat(parser.feed(bytes(ACCEPTED.substring(20, ACCEPTED.length() - 1)))).isFalse();
    assertThat(parser.feed(bytes(ACCEPTED.substring(ACCEPTED.length() - 1)))).isTrue();
    assertThat(parser.jobId()).isEqualTo("job_019af3");
  }

  @Test
  void readsTheNextResponseAfterAReset() {
    ResponseParser parser = new ResponseParser();
    parser.feed(bytes(ACCEPTED));
    parser.reset();

    boolean complete =
        parser.feed(
            bytes(
                "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 2\r\n\r\n{}"));

    assertThat(complete).isTrue();
    assertThat(parser.status()).isEqualTo(429);
    assertThat(parser.jobId()).isNull();
  }

  @Test
  void findsTheEndOfAChunkedBody() {
    ResponseParser parser = new ResponseParser();
    String head = "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n";

    assertThat(parser.feed(bytes(head + "b\r\n{\"id\":\"j1\"}\r\n"))).isFalse();
    assertThat(parser.feed(bytes("1\r\n \r\n0\r\n\r\n"))).isTrue();
    assertThat(parser.jobId()).isEqualTo("j1");
  }

  @Test
  void seesAServerThatClosesTheConnectionAfterTheResponse() {
    ResponseParser parser = new ResponseParser();

    parser.feed(
        bytes(
            "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));

    assertThat(parser.status()).isEqualTo(503);
    assertThat(parser.closesConnection()).isTrue();
  }

  @Test
  void refusesBytesThatAreNotAnHttpResponse() {
    ResponseParser parser = new ResponseParser();

    assertThatThrownBy(() -> parser.feed(bytes("SSH-2.0-OpenSSH\r\n\r\n")))
        .isInstanceOf(IllegalStateException.class);
  }
}
