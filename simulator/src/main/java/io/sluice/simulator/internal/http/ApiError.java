package io.sluice.simulator.internal.http;

/**
 * An error answer, before it is written in a provider's format.
 *
 * @see io.sluice.simulator.internal.openai.OpenAiErrors
 * @see io.sluice.simulator.internal.anthropic.AnthropicErrors
 */
public class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final String param;
  private final String type;

  /**
   * @param status the HTTP status
   * @param code the error code (OpenAI) or type (Anthropic); {@code null} for the status default
   * @param message the message the client sees
   * @param param the offending parameter (OpenAI), or {@code null}
   */
  public ApiError(int status, String code, String message, String param) {
    this(status, code, message, param, null);
  }

  /** As above, with OpenAI's {@code error.type} given explicitly (e.g. {@code tokens}). */
  public ApiError(int status, String code, String message, String param, String type) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
    this.type = type;
  }

  public static ApiError badRequest(String message, String param) {
    return new ApiError(400, null, message, param);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  /** OpenAI's {@code error.type} if set explicitly, else {@code null}. */
  public String type() {
    return type;
  }
}
