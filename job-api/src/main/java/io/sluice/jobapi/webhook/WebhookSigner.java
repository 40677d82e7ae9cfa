package io.sluice.jobapi.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: {@code webhook-signature} is a space-separated list of {@code
 * v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">}, one per secret.
 */
public final class WebhookSigner {
  public static final String ID = "webhook-id";
  public static final String TIMESTAMP = "webhook-timestamp";
  public static final String SIGNATURE = "webhook-signature";

  private WebhookSigner() {}

  /** The three headers of one attempt, sent at {@code epochSecond}. */
  public static Map<String, String> headers(
      String webhookId, long epochSecond, byte[] body, List<WebhookSecret> secrets) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ID, webhookId);
    headers.put(TIMESTAMP, Long.toString(epochSecond));
    headers.put(SIGNATURE, signature(webhookId, epochSecond, body, secrets));
    return headers;
  }

  public static String signature(
      String webhookId, long epochSecond, byte[] body, List<WebhookSecret> secrets) {
    byte[] signed = signedContent(webhookId, epochSecond, body);
    return secrets.stream()
        .map(secret -> "v1," + Base64.getEncoder().encodeToString(hmac(secret, signed)))
        .collect(Collectors.joining(" "));
  }

  private static byte[] signedContent(String webhookId, long epochSecond, byte[] body) {
    byte[] prefix = (webhookId + "." + epochSecond + ".").getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, content, 0, prefix.length);
    System.arraycopy(body, 0, content, prefix.length, body.length);
    return content;
  }

  private static byte[] hmac(WebhookSecret secret, byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
      return mac.doFinal(content);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}
