package io.sluice.simulator.internal.fault;

/**
 * The faults a {@code #sim} line asks for. {@code null} fields were not given.
 *
 * @param errorStatus answer with this HTTP status in the provider's error format
 * @param code the error code (OpenAI {@code error.code}) or type (Anthropic {@code error.type})
 * @param retryAfterSeconds adds {@code retry-after: <s>}
 * @param retryAfterMs adds {@code retry-after-ms: <ms>}
 * @param retryAfterDateSeconds adds {@code retry-after: <HTTP date of now + s>}
 * @param failFirst only the first n calls with the same request body get the faults
 * @param hangMs delay the response by this many milliseconds
 * @param malformed answer 200 with invalid JSON
 * @param truncated cut the body short
 * @param reset close the connection without a response
 * @param invalidOutput with a JSON schema asked for: answer JSON that violates it while the
 *     conversation holds fewer than this many assistant answers ({@link #ALWAYS}: every time)
 * @param api the faults apply only to calls of this API ({@code openai}, {@code anthropic}, {@code
 *     gemini}); {@code null}: to every API
 */
public record SimDirective(
    Integer errorStatus,
    String code,
    Long retryAfterSeconds,
    Long retryAfterMs,
    Long retryAfterDateSeconds,
    Integer failFirst,
    Long hangMs,
    boolean malformed,
    boolean truncated,
    boolean reset,
    Integer invalidOutput,
    String api) {

  /** {@code invalid-output=always}. */
  public static final int ALWAYS = Integer.MAX_VALUE;

  /** No directive. */
  public static final SimDirective NONE =
      new SimDirective(null, null, null, null, null, null, null, false, false, false, null, null);

  /**
   * Whether the answer of a call whose conversation already holds {@code answersBefore} assistant
   * answers is to violate the call's JSON schema.
   */
  public boolean violatesSchema(int answersBefore) {
    return invalidOutput != null && answersBefore < invalidOutput;
  }

  /** Whether the directive asks for any fault at all. */
  public boolean hasFault() {
    return errorStatus != null || hangMs != null || malformed || truncated || reset;
  }

  /** Whether the directive's faults apply to a call of {@code callApi}. */
  public boolean appliesTo(String callApi) {
    return api == null || api.equals(callApi);
  }

  /** Whether the directive adds a retry hint header. */
  public boolean hasRetryHint() {
    return retryAfterSeconds != null || retryAfterMs != null || retryAfterDateSeconds != null;
  }
}
