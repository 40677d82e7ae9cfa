package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.testing.SluiceProcess;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Must-hold 7 of issue 11: a deployment as operators run it, without anything of {@code sluice
 * local}. Two {@code sluice serve job-api} processes share one PostgreSQL database and one Kafka
 * cluster; {@code sluice admin} (with the same SLUICE_* environment) creates a tenant and issues a
 * key, a job submitted with it is accepted, and after {@code sluice admin keys revoke} the second
 * instance, which had the key in its cache, refuses it within seconds.
 */
class AdminServeTest {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServeTest.class);
  private static final String JOB =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"reverse: abc\"}]}";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeAKeyIssuedByTheAdminCommandsAndRefuseItOnEveryInstanceOnceRevoked()
      throws Exception {
    List<SluiceProcess> apis = new ArrayList<>();
    try (PostgresEndpoint db = TestInfrastructure.newDatabase()) {
      Map<String, String> env = new HashMap<>();
      env.put("SLUICE_KAFKA_BOOTSTRAP", TestInfrastructure.kafka().bootstrapServers());
      env.put("SLUICE_TOPIC_PREFIX", TestInfrastructure.uniqueName("admin"));
      env.put("SLUICE_JDBC_URL", db.jdbcUrl());
      env.put("SLUICE_JDBC_USER", db.username());
      env.put("SLUICE_JDBC_PASSWORD", db.password());
      List<URI> urls = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        int port = freePort();
        Map<String, String> instance = new HashMap<>(env);
        instance.put("SLUICE_HTTP_PORT", Integer.toString(port));
        apis.add(SluiceProcess.sluice(instance, "serve", "job-api"));
        urls.add(URI.create("http://127.0.0.1:" + port));
      }
      for (SluiceProcess api : apis) {
        api.awaitLine("job-api listening on", Duration.ofMinutes(2));
      }

      Admin created = admin(env, "tenants", "create", "acme", "--json");
      assertThat(created.exitCode).as(created.err).isZero();
      assertThat(json(created.out).get("name").asText()).isEqualTo("acme");
      Admin issued =
          admin(env, "keys", "issue", "--tenant", "acme", "--expires-in", "30d", "--json");
      assertThat(issued.exitCode).as(issued.err).isZero();
      String key = json(issued.out).get("key").asText();
      String keyId = json(issued.out).get("id").asText();

      HttpResponse<String> accepted = submit(urls.get(0), key);
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String jobId = json(accepted.body()).get("id").asText();
      assertThat(submit(urls.get(1), key).statusCode()).isEqualTo(202);
      assertThat(get(urls.get(1), jobId, key).statusCode()).isEqualTo(200);
      Admin operator = admin(env, "tenants", "operator", "acme");
      assertThat(operator.exitCode).as(operator.err).isZero();
      assertThat(operator.out).contains("is an operator");
      HttpResponse<String> dashboard =
          send(HttpRequest.newBuilder(urls.get(1).resolve("/v1/dashboard")).GET(), key);
      assertThat(json(dashboard.body()).get("scope").asText()).isEqualTo("all_tenants");
      assertThat(json(dashboard.body()).at("/jobs/last_hour/submitted").asLong()).isEqualTo(2);
      Admin listed = admin(env, "keys", "list", "--tenant", "acme", "--json");
      assertThat(listed.out).doesNotContain(key).contains(keyId).contains("\"active\"");

      Admin revoked = admin(env, "keys", "revoke", keyId);
      assertThat(revoked.exitCode).as(revoked.err).isZero();
      long revokedAt = System.nanoTime();

      await("the second instance refuses the revoked key")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> get(urls.get(1), jobId, key).statusCode() == 401);
      LOG.info(
          "revoked key refused by the second instance after {} ms",
          Duration.ofNanos(System.nanoTime() - revokedAt).toMillis());
      HttpResponse<String> refused = submit(urls.get(0), key);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(json(refused.body()).at("/error/type").asText())
          .isEqualTo("authentication_failed");
      assertThat(admin(env, "keys", "list", "--tenant", "acme", "--json").out)
          .contains("\"revoked\"");
      assertThat(count(db, "SELECT count(*) FROM jobs")).isEqualTo(2);
    } finally {
      for (SluiceProcess api : apis) {
        api.close();
      }
    }
  }

  private record Admin(int exitCode, String out, String err) {}

  /** {@code sluice admin ...} in this JVM, with the deployment's environment. */
  private static Admin admin(Map<String, String> env, String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new AdminCommand(env, Clock.systemUTC()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(arguments);
    return new Admin(exitCode, out.toString(), err.toString());
  }

  private HttpResponse<String> submit(URI api, String key) {
    return send(
        HttpRequest.newBuilder(api.resolve("/v1/jobs"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JOB)),
        key);
  }

  private HttpResponse<String> get(URI api, String jobId, String key) {
    return send(HttpRequest.newBuilder(api.resolve("/v1/jobs/" + jobId)).GET(), key);
  }

  private HttpResponse<String> send(HttpRequest.Builder builder, String key) {
    HttpRequest request =
        builder.timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long count(PostgresEndpoint db, String sql) throws Exception {
    try (var connection =
            java.sql.DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        var statement = connection.createStatement();
        var row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static JsonNode json(String text) throws IOException {
    return Json.mapper().readTree(text);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
