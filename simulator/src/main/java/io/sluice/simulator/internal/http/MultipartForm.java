package io.sluice.simulator.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code multipart/form-data} body: fields and files by name. */
public final class MultipartForm {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
  private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

  /** One part: its file name ({@code null} for plain fields) and bytes. */
  public record Part(String filename, byte[] content) {
    public String text() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  private final Map<String, Part> parts;

  private MultipartForm(Map<String, Part> parts) {
    this.parts = parts;
  }

  public Optional<Part> part(String name) {
    return Optional.ofNullable(parts.get(name));
  }

  /** Parses a body; throws a 400 {@link ApiError} if it is not multipart form data. */
  public static MultipartForm parse(String contentType, byte[] body) {
    Matcher m = BOUNDARY.matcher(contentType == null ? "" : contentType);
    if (contentType == null || !contentType.startsWith("multipart/form-data") || !m.find()) {
      throw ApiError.badRequest("The request must be multipart/form-data with a boundary.", null);
    }
    // ISO-8859-1 maps every byte to one char, so indexes in the text are indexes in the bytes.
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String delimiter = "--" + m.group(1);
    Map<String, Part> parts = new LinkedHashMap<>();
    int start = text.indexOf(delimiter);
    while (start >= 0) {
      int partStart = start + delimiter.length();
      if (text.startsWith("--", partStart)) {
        break;
      }
      int next = text.indexOf("\r\n" + delimiter, partStart);
      if (next < 0) {
        throw ApiError.badRequest("The multipart body is not terminated.", null);
      }
      addPart(parts, text, body, partStart + 2, next);
      start = next + 2;
    }
    return new MultipartForm(parts);
  }

  private static void addPart(Map<String, Part> parts, String text, byte[] body, int from, int to) {
    int headerEnd = text.indexOf("\r\n\r\n", from);
    if (headerEnd < 0 || headerEnd > to) {
      throw ApiError.badRequest("A multipart part has no header block.", null);
    }
    String headers = text.substring(from, headerEnd);
    Matcher name = NAME.matcher(headers);
    if (!name.find()) {
      throw ApiError.badRequest("A multipart part has no name.", null);
    }
    Matcher filename = FILENAME.matcher(headers);
    byte[] content = Arrays.copyOfRange(body, headerEnd + 4, to);
    parts.put(name.group(1), new Part(filename.find() ? filename.group(1) : null, content));
  }
}
