package io.sluice.jobapi;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.tenant.IssuedApiKey;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A job-api on a fresh database and unique topics, with helpers to call it over HTTP and to look
 * into its tables.
 */
final class JobApiFixture implements AutoCloseable {
  static final String VALID_BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"reverse: abc\"}]}";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final PostgresEndpoint database;
  final TopicCatalog topics;
  final JobApiSettings settings;
  JobApi api;

  private JobApiFixture(PostgresEndpoint database, JobApiSettings settings) {
    this.database = database;
    this.topics = settings.topics();
    this.settings = settings;
  }

  static JobApiFixture start() {
    return start(UnaryOperator.identity());
  }

  static JobApiFixture start(UnaryOperator<JobApiSettings.Builder> customize) {
    PostgresEndpoint database = TestInfrastructure.newDatabase();
    JobApiSettings settings =
        customize
            .apply(
                JobApiSettings.builder()
                    .httpHost("127.0.0.1")
                    .jdbcUrl(database.jdbcUrl())
                    .dbUser(database.username())
                    .dbPassword(database.password())
                    .dbPoolSize(4)
                    .kafkaBootstrap(TestInfrastructure.kafka().bootstrapServers())
                    .topicPrefix(TestInfrastructure.uniqueName("jobapi"))
                    .topicPartitions(2)
                    .outboxPollInterval(Duration.ofMillis(200)))
            .build();
    JobApiFixture fixture = new JobApiFixture(database, settings);
    fixture.api = JobApi.start(settings);
    return fixture;
  }

  /** Starts another job-api on the same database and topics (e.g. after a crash). */
  JobApi startAnother(UnaryOperator<JobApiSettings.Builder> customize) {
    return JobApi.start(customize.apply(settings.toBuilder()).build());
  }

  /** A new tenant with one issued key. */
  Client newClient() {
    Tenant tenant = api.admin().createTenant(TestInfrastructure.uniqueName("tenant"));
    IssuedApiKey key = api.admin().issueKey(tenant.id());
    return new Client(tenant, key.plaintext());
  }

  /** A tenant and the key it calls with. */
  final class Client {
    final Tenant tenant;
    final String key;

    Client(Tenant tenant, String key) {
      this.tenant = tenant;
      this.key = key;
    }

    HttpResponse<String> submit(String body, String... headers) {
      return submitTo(api, body, headers);
    }

    HttpResponse<String> submitTo(JobApi target, String body, String... headers) {
      return send(
          HttpRequest.newBuilder(target.url().resolve("/v1/jobs"))
              .header("Authorization", "Bearer " + key)
              .header("Content-Type", "application/json")
              .headers(headers.length == 0 ? new String[] {"X-Test", "1"} : headers)
              .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> get(String jobId) {
      return send(
          HttpRequest.newBuilder(api.url().resolve("/v1/jobs/" + jobId))
              .header("Authorization", "Bearer " + key)
              .GET());
    }

    long jobCount() {
      return count("SELECT count(*) FROM jobs WHERE tenant_id = ?", tenant.id());
    }

    /**
     * The batch once its input file was taken in ({@code POST /v1/batches} answers with it {@code
     * validating}): {@code in_progress} with its jobs, or {@code failed}.
     */
    JsonNode validated(String batchId) {
      return validated(batchId, Duration.ofSeconds(30));
    }

    JsonNode validated(String batchId, Duration atMost) {
      return await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  json(
                      send(
                          HttpRequest.newBuilder(api.url().resolve("/v1/batches/" + batchId))
                              .header("Authorization", "Bearer " + key)
                              .GET())),
              batch -> !"validating".equals(batch.path("status").asText()));
    }
  }

  static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI url(String path) {
    return api.url().resolve(path);
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  long count(String sql, Object... parameters) {
    return query(sql, parameters).getFirst().get(0) instanceof Number n ? n.longValue() : -1;
  }

  /** Rows of a query, each as a list of column values. */
  List<List<Object>> query(String sql, Object... parameters) {
    try (Connection connection =
            DriverManager.getConnection(
                database.jdbcUrl(), database.username(), database.password());
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        List<List<Object>> result = new ArrayList<>();
        int columns = rows.getMetaData().getColumnCount();
        while (rows.next()) {
          List<Object> row = new ArrayList<>();
          for (int c = 1; c <= columns; c++) {
            row.add(rows.getObject(c));
          }
          result.add(row);
        }
        return result;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a statement (DDL, test-only triggers) on the fixture's database. */
  void execute(String sql) {
    try (Connection connection =
            DriverManager.getConnection(
                database.jdbcUrl(), database.username(), database.password());
        java.sql.Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (api != null) {
      api.close();
    }
    database.close();
  }
}
