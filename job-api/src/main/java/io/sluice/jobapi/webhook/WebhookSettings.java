package io.sluice.jobapi.webhook;

import io.sluice.egress.EgressRules;
import io.sluice.egress.HostResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How job-api sends webhooks. Part of {@code JobApiSettings} (setting {@code webhooks}), which
 * reports {@link #problems()} with the other settings.
 *
 * @param secretKey base64 of the 32-byte AES key that encrypts signing secrets in the database;
 *     {@code null}: webhooks are off (their API answers 503, a job naming a webhook gets 400)
 * @param egress which destinations may be called (default: public addresses over HTTPS only)
 * @param resolver how host names are resolved (a test resolver in tests)
 * @param timeout one attempt's limit, connection and answer (default 15 s)
 * @param lease how long a claimed delivery is this sender's before another may take it; longer than
 *     {@code timeout}
 * @param senderThreads deliveries sent at once by this instance
 * @param endpointConcurrency deliveries sent at once to one endpoint by this instance
 * @param pollInterval how often the sender looks for due deliveries when idle
 * @param rotationGrace how long a rotated-out secret keeps signing beside the new one
 * @param senderEnabled whether this instance sends (false: another instance does)
 * @param schedule the retry schedule
 * @param retention how long a finished delivery (succeeded or dead) and its attempts are kept
 *     before they are deleted (default 30 days)
 */
public record WebhookSettings(
    String secretKey,
    EgressRules egress,
    HostResolver resolver,
    Duration timeout,
    Duration lease,
    int senderThreads,
    int endpointConcurrency,
    Duration pollInterval,
    Duration rotationGrace,
    boolean senderEnabled,
    RetrySchedule schedule,
    Duration retention) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
  public static final int DEFAULT_SENDER_THREADS = 16;
  public static final int DEFAULT_ENDPOINT_CONCURRENCY = 4;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_ROTATION_GRACE = Duration.ofHours(24);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  /** Webhooks off (no key), everything else at its default. */
  public static WebhookSettings defaults() {
    return new WebhookSettings(
        null,
        EgressRules.publicHttpsOnly(),
        HostResolver.system(),
        DEFAULT_TIMEOUT,
        DEFAULT_LEASE,
        DEFAULT_SENDER_THREADS,
        DEFAULT_ENDPOINT_CONCURRENCY,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_ROTATION_GRACE,
        true,
        RetrySchedule.STANDARD,
        DEFAULT_RETENTION);
  }

  public boolean enabled() {
    return secretKey != null;
  }

  /** What is wrong with these settings, each naming its setting; empty when nothing. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (secretKey != null && !SecretCipher.isKey(secretKey)) {
      problems.add("webhooks.secretKey must be the base64 of 32 random bytes");
    }
    check(problems, egress != null, "webhooks.egress must not be null");
    check(problems, resolver != null, "webhooks.resolver must not be null");
    check(problems, between(timeout, 1, 120_000), "webhooks.timeout must be 1 ms to 2 minutes");
    check(
        problems,
        lease != null && timeout != null && lease.compareTo(timeout) > 0,
        "webhooks.lease must be longer than webhooks.timeout");
    check(problems, senderThreads >= 1 && senderThreads <= 512, "webhooks.senderThreads 1 to 512");
    check(
        problems,
        endpointConcurrency >= 1 && endpointConcurrency <= senderThreads,
        "webhooks.endpointConcurrency must be 1 to webhooks.senderThreads");
    check(
        problems,
        between(pollInterval, 10, 60_000),
        "webhooks.pollInterval must be 10 ms to 1 minute");
    check(
        problems,
        rotationGrace != null
            && !rotationGrace.isNegative()
            && rotationGrace.compareTo(Duration.ofDays(7)) <= 0,
        "webhooks.rotationGrace must be 0 to 7 days");
    check(problems, schedule != null, "webhooks.schedule must not be null");
    check(
        problems,
        retention != null
            && retention.compareTo(Duration.ofHours(1)) >= 0
            && retention.compareTo(Duration.ofDays(3650)) <= 0,
        "webhooks.retention must be 1 hour to 10 years");
    return problems;
  }

  private static boolean between(Duration value, long minMillis, long maxMillis) {
    return value != null && value.toMillis() >= minMillis && value.toMillis() <= maxMillis;
  }

  private static void check(List<String> problems, boolean condition, String problem) {
    if (!condition) {
      problems.add(problem);
    }
  }

  public WebhookSettings withSecretKey(String value) {
    return toBuilder().secretKey(value).build();
  }

  public WebhookSettings withEgress(EgressRules value, HostResolver resolverValue) {
    return toBuilder().egress(value).resolver(resolverValue).build();
  }

  public WebhookSettings withTimeouts(Duration timeoutValue, Duration leaseValue) {
    return toBuilder().timeout(timeoutValue).lease(leaseValue).build();
  }

  public WebhookSettings withConcurrency(int threads, int perEndpoint) {
    return toBuilder().senderThreads(threads).endpointConcurrency(perEndpoint).build();
  }

  public WebhookSettings withPollInterval(Duration value) {
    return toBuilder().pollInterval(value).build();
  }

  public WebhookSettings withRotationGrace(Duration value) {
    return toBuilder().rotationGrace(value).build();
  }

  public WebhookSettings withSenderEnabled(boolean value) {
    return toBuilder().senderEnabled(value).build();
  }

  public WebhookSettings withSchedule(RetrySchedule value) {
    return toBuilder().schedule(value).build();
  }

  public WebhookSettings withRetention(Duration value) {
    return toBuilder().retention(value).build();
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.secretKey = secretKey;
    b.egress = egress;
    b.resolver = resolver;
    b.timeout = timeout;
    b.lease = lease;
    b.senderThreads = senderThreads;
    b.endpointConcurrency = endpointConcurrency;
    b.pollInterval = pollInterval;
    b.rotationGrace = rotationGrace;
    b.senderEnabled = senderEnabled;
    b.schedule = schedule;
    b.retention = retention;
    return b;
  }

  /** The withers' one copy of every field. */
  private static final class Builder {
    private String secretKey;
    private EgressRules egress;
    private HostResolver resolver;
    private Duration timeout;
    private Duration lease;
    private int senderThreads;
    private int endpointConcurrency;
    private Duration pollInterval;
    private Duration rotationGrace;
    private boolean senderEnabled;
    private RetrySchedule schedule;
    private Duration retention;

    Builder secretKey(String value) {
      secretKey = value;
      return this;
    }

    Builder egress(EgressRules value) {
      egress = value;
      return this;
    }

    Builder resolver(HostResolver value) {
      resolver = value;
      return this;
    }

    Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    Builder lease(Duration value) {
      lease = value;
      return this;
    }

    Builder senderThreads(int value) {
      senderThreads = value;
      return this;
    }

    Builder endpointConcurrency(int value) {
      endpointConcurrency = value;
      return this;
    }

    Builder pollInterval(Duration value) {
      pollInterval = value;
      return this;
    }

    Builder rotationGrace(Duration value) {
      rotationGrace = value;
      return this;
    }

    Builder senderEnabled(boolean value) {
      senderEnabled = value;
      return this;
    }

    Builder schedule(RetrySchedule value) {
      schedule = value;
      return this;
    }

    Builder retention(Duration value) {
      retention = value;
      return this;
    }

    WebhookSettings build() {
      return new WebhookSettings(
          secretKey,
          egress,
          resolver,
          timeout,
          lease,
          senderThreads,
          endpointConcurrency,
          pollInterval,
          rotationGrace,
          senderEnabled,
          schedule,
          retention);
    }
  }

  @Override
  public String toString() {
    return "WebhookSettings[enabled="
        + enabled()
        + ", secretKey=***, egress="
        + egress
        + ", timeout="
        + timeout
        + ", senderThreads="
        + senderThreads
        + ", endpointConcurrency="
        + endpointConcurrency
        + ", senderEnabled="
        + senderEnabled
        + "]";
  }
}
