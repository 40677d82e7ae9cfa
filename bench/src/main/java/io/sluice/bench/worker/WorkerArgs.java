package io.sluice.bench.worker;

import io.sluice.bench.scenario.Limits;
import io.sluice.providers.ProviderKind;
import io.sluice.schemas.model.LimitStyle;
import io.sluice.workers.InputTokenEstimate;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker process needs, passed as {@code key=value} arguments.
 *
 * @param instanceId the process's rate-limiter instance ID
 * @param bootstrap the Kafka cluster
 * @param topicPrefix the run's topic prefix
 * @param kind the provider protocol
 * @param baseUrl the simulator
 * @param account the provider account name the limit belongs to
 * @param model the model the limit belongs to
 * @param limits the true limits, given to the rate limiter unchanged
 * @param jdbcUrl the shared limit store
 * @param concurrency the pool's concurrency
 * @param recordsPerPoll the most records one poll of a consumer takes
 * @param inputTokenEstimate what a task reserves for its input: the tokenizer's count, or the
 *     backlog's (deliberately wrong) estimate in the estimate-error scenario
 */
public record WorkerArgs(
    String instanceId,
    String bootstrap,
    String topicPrefix,
    ProviderKind kind,
    URI baseUrl,
    String account,
    String model,
    Limits limits,
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    int concurrency,
    int recordsPerPoll,
    InputTokenEstimate inputTokenEstimate) {

  /** The arguments, in the form {@link #parse(String[])} reads. */
  public List<String> toArgs() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("instance", instanceId);
    values.put("bootstrap", bootstrap);
    values.put("prefix", topicPrefix);
    values.put("kind", kind.configName());
    values.put("base-url", baseUrl);
    values.put("account", account);
    values.put("model", model);
    values.put("accounting", limits.accounting());
    values.put("rpm", limits.rpm());
    values.put("tpm", limits.tpm());
    values.put("itpm", limits.itpm());
    values.put("otpm", limits.otpm());
    values.put("jdbc-url", jdbcUrl);
    values.put("db-user", dbUser);
    values.put("db-password", dbPassword);
    values.put("concurrency", concurrency);
    values.put("records-per-poll", recordsPerPoll);
    values.put("input-token-estimate", inputTokenEstimate);
    List<String> args = new ArrayList<>();
    values.forEach((k, v) -> args.add(k + "=" + v));
    return args;
  }

  /** Reads {@code key=value} arguments; a missing key fails naming it. */
  public static WorkerArgs parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value, got: " + arg);
      }
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Limits limits =
        new Limits(
            LimitStyle.valueOf(get(values, "accounting")),
            Long.parseLong(get(values, "rpm")),
            Long.parseLong(get(values, "tpm")),
            Long.parseLong(get(values, "itpm")),
            Long.parseLong(get(values, "otpm")));
    return new WorkerArgs(
        get(values, "instance"),
        get(values, "bootstrap"),
        get(values, "prefix"),
        ProviderKind.fromConfigName(get(values, "kind")),
        URI.create(get(values, "base-url")),
        get(values, "account"),
        get(values, "model"),
        limits,
        get(values, "jdbc-url"),
        get(values, "db-user"),
        values.getOrDefault("db-password", ""),
        Integer.parseInt(get(values, "concurrency")),
        Integer.parseInt(get(values, "records-per-poll")),
        InputTokenEstimate.valueOf(get(values, "input-token-estimate")));
  }

  private static String get(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing worker argument: " + key);
    }
    return value;
  }
}
