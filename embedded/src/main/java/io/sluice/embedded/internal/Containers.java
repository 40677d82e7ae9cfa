package io.sluice.embedded.internal;

import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Kafka and PostgreSQL in containers, for machines with a Docker engine. */
public final class Containers {

  public static final String KAFKA_IMAGE = "apache/kafka:" + AppInfoParser.getVersion();
  public static final String POSTGRES_IMAGE = "postgres:18-alpine";

  private Containers() {}

  /** A started one-node Kafka with the same broker settings as the embedded one. */
  public static KafkaContainer kafka() {
    KafkaContainer container = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
    brokerSettings().forEach((key, value) -> container.withEnv(toEnv(key), value));
    container.start();
    return container;
  }

  /** A started PostgreSQL. */
  public static PostgreSQLContainer<?> postgres() {
    PostgreSQLContainer<?> container =
        new PostgreSQLContainer<>(
            DockerImageName.parse(POSTGRES_IMAGE).asCompatibleSubstituteFor("postgres"));
    container.start();
    return container;
  }

  private static Map<String, String> brokerSettings() {
    Map<String, String> all =
        new KafkaBrokerConfig(java.nio.file.Path.of("/unused"), 0, 0, true).properties();
    all.keySet().removeIf(Containers::isNodeLayout);
    return all;
  }

  /** Listeners, ports, roles and directories belong to the container image. */
  private static boolean isNodeLayout(String key) {
    return key.startsWith("listener")
        || key.startsWith("controller.")
        || key.equals("advertised.listeners")
        || key.equals("inter.broker.listener.name")
        || key.equals("process.roles")
        || key.equals("node.id")
        || key.equals("log.dirs");
  }

  /** The apache/kafka image maps KAFKA_A_B to a.b ('_' in a name is written as '__'). */
  static String toEnv(String property) {
    return "KAFKA_"
        + property.replace("_", "__").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
  }
}
