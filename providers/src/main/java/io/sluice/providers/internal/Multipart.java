package io.sluice.providers.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A {@code multipart/form-data} body with text fields and one file. */
public final class Multipart {
  private final String boundary = "sluice-" + UUID.randomUUID();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Adds a text field. */
  public Multipart field(String name, String value) {
    write("--" + boundary + "\r\n");
    write("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
    write(value + "\r\n");
    return this;
  }

  /** Adds a file part. */
  public Multipart file(String name, String filename, String contentType, byte[] content) {
    write("--" + boundary + "\r\n");
    write(
        "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n");
    write("Content-Type: " + contentType + "\r\n\r\n");
    out.writeBytes(content);
    write("\r\n");
    return this;
  }

  /** The {@code Content-Type} header value. */
  public String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /** The finished body. */
  public byte[] body() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return copy.toByteArray();
  }

  private void write(String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
