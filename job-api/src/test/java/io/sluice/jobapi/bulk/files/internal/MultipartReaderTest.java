package io.sluice.jobapi.bulk.files.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming multipart reader, on parts that span many buffers and on broken forms. */
class MultipartReaderTest {
  private static final String TYPE = "multipart/form-data; boundary=\"b0undary\"";

  @Test
  void shouldReadEachPartsBodyExactlyThroughNearMissesOfTheDelimiter() throws IOException {
    byte[] file = new byte[1_000_003];
    new Random(7).nextBytes(file);
    byte[] tricky = "\r\n--b0undar\r\n-b0undary\n--b0undary".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(tricky, 0, file, 500_000, tricky.length);
    MultipartReader form = MultipartReader.of(TYPE, body(file)).orElseThrow();

    MultipartReader.Part first = form.next().orElseThrow();
    assertThat(first.name()).isEqualTo("purpose");
    assertThat(new String(readSlowly(first.body()), StandardCharsets.UTF_8)).isEqualTo("batch");
    MultipartReader.Part second = form.next().orElseThrow();
    assertThat(second.name()).isEqualTo("file");
    assertThat(second.filename()).isEqualTo("in.jsonl");
    byte[] read = readSlowly(second.body());
    assertThat(read.length).isEqualTo(file.length);
    assertThat(java.util.Arrays.equals(read, file)).as("same bytes").isTrue();
    assertThat(form.next()).isEmpty();
  }

  @Test
  void shouldReportABodyThatEndsInsideAPart() {
    byte[] truncated =
        "--b0undary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc"
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(
            () -> {
              MultipartReader form =
                  MultipartReader.of(TYPE, new ByteArrayInputStream(truncated)).orElseThrow();
              form.next().orElseThrow().body().readAllBytes();
            })
        .isInstanceOf(MultipartReader.MalformedMultipartException.class);
  }

  @Test
  void shouldRefuseAContentTypeThatIsNotMultipart() {
    assertThat(MultipartReader.of("application/json", InputStream.nullInputStream())).isEmpty();
    assertThat(MultipartReader.of("multipart/form-data", InputStream.nullInputStream())).isEmpty();
  }

  private static InputStream body(byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("preamble\r\n--b0undary\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + "batch\r\n--b0undary\r\nContent-Disposition: form-data; name=\"file\";"
                + " filename=\"in.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(file);
    out.writeBytes("\r\n--b0undary--\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return new ByteArrayInputStream(out.toByteArray());
  }

  // odd-sized reads, so the delimiter search runs across buffer edges
  private static byte[] readSlowly(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[7919];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
