package io.sluice.jobapi.job;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8: the JSON parser alone would also take overlong forms (0xC0 0x80 as NUL) and such.
 * Text that is all ASCII, most request bodies and batch lines, is answered without decoding.
 */
public final class Utf8 {
  private Utf8() {}

  /** Whether {@code bytes} are well-formed UTF-8. */
  public static boolean isValid(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return decodes(bytes);
      }
    }
    return true;
  }

  private static boolean decodes(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
