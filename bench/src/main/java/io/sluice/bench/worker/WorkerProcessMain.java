package io.sluice.bench.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.postgres.PostgresLimitStore;
import io.sluice.workers.WorkerPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One worker process of the benchmark: a worker pool with a rate limiter on the shared PostgreSQL
 * store. Prints {@code BENCH <json>} lines on stdout: {@code ready}, {@code progress} every second
 * and {@code stats} when told to stop (a {@code stop} line or end of stdin).
 */
public final class WorkerProcessMain {
  static final String LINE_PREFIX = "BENCH ";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream OUT = System.out;

  private WorkerProcessMain() {}

  public static void main(String[] argv) throws IOException {
    System.setOut(System.err); // only this class writes to stdout
    WorkerArgs args = WorkerArgs.parse(argv);
    try (HikariDataSource dataSource = dataSource(args)) {
      RateLimiter limiter =
          RateLimiter.builder()
              .store(new PostgresLimitStore(dataSource))
              .limits(
                  new LimitKey(args.kind().configName(), args.account(), args.model()),
                  args.limits().toRateLimits())
              .instanceId(args.instanceId())
              .build();
      Provider provider =
          new ProviderFactory()
              .realtime(
                  ProviderConfig.of(
                      args.kind().configName(), args.kind(), args.baseUrl(), "sk-bench"));
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
      WorkerPool pool = PoolStarter.start(PoolStarter.settings(args), provider, limiter);
      timer.scheduleAtFixedRate(
          () -> print("progress", PoolStarter.stats(pool.stats())), 1, 1, TimeUnit.SECONDS);
      print("ready", Map.of("limiter_wired", PoolStarter.limiterWired()));
      awaitStop();
      timer.shutdownNow();
      pool.close();
      print("stats", PoolStarter.stats(pool.stats()));
      limiter.close();
      provider.close();
    }
    System.exit(0);
  }

  private static HikariDataSource dataSource(WorkerArgs args) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args.jdbcUrl());
    config.setUsername(args.dbUser());
    config.setPassword(args.dbPassword());
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(1_000);
    config.setPoolName("limiter-" + args.instanceId());
    return new HikariDataSource(config);
  }

  private static void awaitStop() throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.strip().equals("stop")) {
        return;
      }
    }
  }

  private static synchronized void print(String type, Map<String, ?> body) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", type);
    line.putAll(body);
    try {
      OUT.println(LINE_PREFIX + JSON.writeValueAsString(line));
      OUT.flush();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a " + type + " line", e);
    }
  }
}
