package io.sluice.embedded;

import io.sluice.embedded.internal.Containers;
import io.sluice.embedded.internal.Databases;
import io.sluice.embedded.internal.DockerProbe;
import io.sluice.embedded.internal.SharedKafka;
import io.sluice.embedded.internal.SharedPostgres;
import io.sluice.embedded.internal.ShutdownHooks;
import io.sluice.embedded.internal.TempDirs;
import io.sluice.embedded.internal.UniqueNames;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Kafka broker and PostgreSQL server shared by all tests of one JVM, each started on first use
 * and stopped by a shutdown hook. Where they come from, first match wins:
 *
 * <ol>
 *   <li>external servers named by the environment ({@value #KAFKA_BOOTSTRAP_ENV}, {@value
 *       #JDBC_URL_ENV} with {@value #JDBC_USER_ENV} and {@value #JDBC_PASSWORD_ENV});
 *   <li>Testcontainers, when a Docker engine is reachable;
 *   <li>embedded servers in this JVM ({@link EmbeddedKafka}) or as child processes ({@link
 *       EmbeddedPostgres}), on throwaway directories.
 * </ol>
 *
 * <p>{@value #MODE_ENV}{@code =embedded} or {@code =testcontainers} skips the detection. The
 * endpoints returned here ignore {@code close()}: isolate tests by {@link #uniqueName unique names}
 * and {@link #newDatabase() fresh databases}, not by restarting servers.
 */
public final class TestInfrastructure {

  public static final String KAFKA_BOOTSTRAP_ENV = "SLUICE_TEST_KAFKA_BOOTSTRAP";
  public static final String JDBC_URL_ENV = "SLUICE_TEST_JDBC_URL";
  public static final String JDBC_USER_ENV = "SLUICE_TEST_JDBC_USER";
  public static final String JDBC_PASSWORD_ENV = "SLUICE_TEST_JDBC_PASSWORD";
  public static final String MODE_ENV = "SLUICE_TEST_INFRASTRUCTURE";

  private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);
  private static KafkaEndpoint kafka;
  private static PostgresEndpoint postgres;
  private static Boolean containers;

  private TestInfrastructure() {}

  /** The shared Kafka cluster, with fast share-group test settings when this JVM starts it. */
  public static synchronized KafkaEndpoint kafka() {
    if (kafka == null) {
      kafka = startKafka();
      log.info("Tests use Kafka {}", kafka);
    }
    return kafka;
  }

  /**
   * The shared PostgreSQL server, connected to its default database as a user that may create
   * databases. Prefer {@link #newDatabase()} for tests that create tables.
   */
  public static synchronized PostgresEndpoint postgres() {
    if (postgres == null) {
      postgres = startPostgres();
      log.info("Tests use PostgreSQL {}", postgres);
    }
    return postgres;
  }

  /**
   * A new, empty database on the shared server, named by {@link #uniqueName}. Its {@code close()}
   * drops it (ending sessions still connected); leaving it open is fine too.
   */
  public static PostgresEndpoint newDatabase() {
    return Databases.create(postgres(), uniqueName("db"));
  }

  /**
   * A lower-case name that is unique across test JVMs and legal as a Kafka topic name or prefix,
   * consumer or share group id, Streams application id and PostgreSQL database name, e.g. {@code
   * uniqueName("jobs")} → {@code jobs_1k3f9x0qa}.
   */
  public static String uniqueName(String prefix) {
    return UniqueNames.next(prefix);
  }

  private static KafkaEndpoint startKafka() {
    Optional<String> external = env(KAFKA_BOOTSTRAP_ENV);
    if (external.isPresent()) {
      return new SharedKafka(external.get(), "external");
    }
    if (useContainers()) {
      KafkaContainer container = Containers.kafka();
      onShutdown(container::stop);
      return new SharedKafka(container.getBootstrapServers(), "testcontainers");
    }
    Path dir = TempDirs.create("sluice-kafka-");
    KafkaEndpoint embedded = EmbeddedKafka.start(new KafkaOptions(dir, 0, true));
    onShutdown(
        () -> {
          embedded.close();
          TempDirs.deleteQuietly(dir);
        });
    return new SharedKafka(embedded.bootstrapServers(), "embedded");
  }

  private static PostgresEndpoint startPostgres() {
    Optional<String> external = env(JDBC_URL_ENV);
    if (external.isPresent()) {
      return new SharedPostgres(
          external.get(),
          env(JDBC_USER_ENV).orElse("postgres"),
          env(JDBC_PASSWORD_ENV).orElse(""),
          "external");
    }
    if (useContainers()) {
      PostgreSQLContainer<?> container = Containers.postgres();
      onShutdown(container::stop);
      return new SharedPostgres(
          container.getJdbcUrl(),
          container.getUsername(),
          container.getPassword(),
          "testcontainers");
    }
    Path dir = TempDirs.create("sluice-postgres-");
    PostgresEndpoint embedded = EmbeddedPostgres.start(new PostgresOptions(dir, 0, true));
    onShutdown(
        () -> {
          embedded.close();
          TempDirs.deleteQuietly(dir);
        });
    return new SharedPostgres(
        embedded.jdbcUrl(), embedded.username(), embedded.password(), "embedded");
  }

  private static synchronized boolean useContainers() {
    if (containers == null) {
      containers = detectContainers();
    }
    return containers;
  }

  private static boolean detectContainers() {
    String mode = env(MODE_ENV).orElse("auto").toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "embedded" -> false;
      case "testcontainers" -> true;
      case "auto" -> DockerProbe.dockerAvailable();
      default ->
          throw new IllegalStateException(
              MODE_ENV + " must be auto, embedded or testcontainers but was " + mode);
    };
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static void onShutdown(Runnable stop) {
    ShutdownHooks.register("sluice-test-infrastructure-stop", stop);
  }
}
