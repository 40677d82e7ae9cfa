package io.sluice.egress.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {
  @Test
  void theStatusAndRetryAfterAreRead() throws IOException {
    ResponseHead head =
        read(
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\nContent-Length: 4\r\n\r\nbusy");

    assertThat(head).isEqualTo(new ResponseHead(503, Optional.of("120"), 4, false, true));
  }

  @Test
  void interimResponsesAreSkipped() throws IOException {
    ResponseHead head =
        read(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");

    assertThat(head.status()).isEqualTo(204);
    assertThat(head.hasBody()).isFalse();
  }

  @Test
  void bareLineFeedsAndHttp10AreAccepted() throws IOException {
    ResponseHead head = read("HTTP/1.0 200\nTransfer-Encoding: chunked\n\n");

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.chunked()).isTrue();
    assertThat(head.hasBody()).isTrue();
  }

  @Test
  void anHttp11ResponseWhoseBodyEndIsKnownAllowsReuse() throws IOException {
    assertThat(read("HTTP/1.1 204 No Content\r\n\r\n").allowsReuse()).isTrue();
    assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").allowsReuse()).isTrue();
    assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").allowsReuse()).isTrue();
    assertThat(read("HTTP/1.1 500 x\r\nTransfer-Encoding: chunked\r\n\r\n").allowsReuse()).isTrue();
    assertThat(read("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"))
        .extracting(ResponseHead::keepAlive, ResponseHead::allowsReuse)
        .containsExactly(true, true);
  }

  @Test
  void connectionCloseHttp10AndABodyUntilCloseEndTheConnection() throws IOException {
    assertThat(read("HTTP/1.1 204 x\r\nConnection: close\r\n\r\n").allowsReuse()).isFalse();
    assertThat(read("HTTP/1.1 204 x\r\nconnection: Keep-Alive, CLOSE\r\n\r\n").keepAlive())
        .isFalse();
    assertThat(read("HTTP/1.0 200 x\r\nContent-Length: 0\r\n\r\n").allowsReuse()).isFalse();
    assertThat(read("HTTP/1.1 200 x\r\n\r\nbody until close").allowsReuse()).isFalse();
    assertThat(read("HTTP/1.1 200 x\r\nContent-Length: x\r\n\r\n").allowsReuse()).isFalse();
    assertThat(
            read("HTTP/1.1 200 x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")
                .allowsReuse())
        .isFalse();
    assertThat(read("HTTP/1.1 101 Switching Protocols\r\n\r\n").allowsReuse()).isFalse();
  }

  @Test
  void anImplausibleRetryAfterIsDropped() throws IOException {
    String longValue = "9".repeat(65);

    assertThat(read("HTTP/1.1 429 x\r\nRetry-After: " + longValue + "\r\n\r\n").retryAfter())
        .isEmpty();
  }

  @Test
  void whatIsNotAnHttpResponseIsMalformed() {
    assertThatThrownBy(() -> read("SSH-2.0-OpenSSH\r\n\r\n"))
        .isInstanceOf(ResponseHead.Malformed.class);
    assertThatThrownBy(() -> read("HTTP/2 200\r\n\r\n")).isInstanceOf(ResponseHead.Malformed.class);
    assertThatThrownBy(() -> read("HTTP/1.1 600 x\r\n\r\n"))
        .isInstanceOf(ResponseHead.Malformed.class);
    assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"))
        .isInstanceOf(ResponseHead.Malformed.class);
  }

  @Test
  void anEndlessHeadIsCutOff() {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'x';
          }
        };

    assertThatThrownBy(() -> ResponseHead.read(endless))
        .isInstanceOf(ResponseHead.Malformed.class)
        .hasMessageContaining("too long");
  }

  @Test
  void aHeadCutShortIsAnEndOfStream() {
    assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Le"))
        .isInstanceOf(EOFException.class);
  }

  private static ResponseHead read(String text) throws IOException {
    return ResponseHead.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
  }
}
