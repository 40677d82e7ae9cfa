package io.sluice.embedded;

import static io.sluice.embedded.KafkaClients.consume;
import static io.sluice.embedded.KafkaClients.consumerConfig;
import static io.sluice.embedded.KafkaClients.createTopic;
import static io.sluice.embedded.KafkaClients.produce;
import static io.sluice.embedded.KafkaClients.produceInTransaction;
import static io.sluice.embedded.KafkaClients.shareConsume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.embedded.internal.StaleRegistrationRemoval;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A broker killed with SIGKILL and started again on its directory: the restart unregisters the dead
 * broker instead of waiting for its session to expire, and everything it held comes back.
 */
class UncleanRestartTest {

  static final String TOPIC = "kept";
  static final List<String> BEFORE = List.of("before-1", "before-2", "before-3");
  static final String GROUP = "reader";
  static final String TX_TOPIC = "kept-tx";
  static final String SHARE_GROUP = "sharers";

  private static final String LIFECYCLE_LOGGER = "org.apache.kafka.server.BrokerLifecycleManager";

  @TempDir Path dataDir;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Level lifecycleLevel;

  @BeforeEach
  void captureRegistrationLogs() {
    logs.start();
    logger(StaleRegistrationRemoval.class.getName()).addAppender(logs);
    Logger lifecycle = logger(LIFECYCLE_LOGGER);
    lifecycleLevel = lifecycle.getLevel();
    lifecycle.setLevel(Level.INFO); // its registration outcomes are INFO lines
    lifecycle.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger(StaleRegistrationRemoval.class.getName()).detachAppender(logs);
    logger(LIFECYCLE_LOGGER).detachAppender(logs);
    logger(LIFECYCLE_LOGGER).setLevel(lifecycleLevel);
  }

  @Test
  void shouldRegisterTheRestartedBrokerWithoutWaitingForTheKilledOnesSession() throws Exception {
    Process child = ChildJvm.start(BrokerInAChildJvm.class, dataDir.toString());
    ChildJvm.awaitReady(child);
    ChildJvm.kill(child);

    try (KafkaEndpoint kafka = EmbeddedKafka.start(KafkaOptions.persistent(dataDir))) {
      assertThat(messages(LIFECYCLE_LOGGER))
          .anyMatch(line -> line.contains("Successfully registered broker 1 "))
          .noneMatch(line -> line.contains("DUPLICATE_BROKER_REGISTRATION"));
      assertThat(messages(StaleRegistrationRemoval.class.getName()))
          .anyMatch(line -> line.contains("was unregistered"));

      String bootstrap = kafka.bootstrapServers();
      awaitLeaderForEveryPartition(bootstrap);
      produce(bootstrap, TOPIC, List.of("after"));
      assertThat(consume(consumerConfig(bootstrap, "fresh"), TOPIC, 4))
          .containsExactlyInAnyOrder("before-1", "before-2", "before-3", "after");
      assertThat(committedRecords(bootstrap, GROUP)).isEqualTo(3);

      produceInTransaction(bootstrap, TX_TOPIC, "tx-after");
      Map<String, Object> readCommitted = consumerConfig(bootstrap, "tx-reader");
      readCommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      assertThat(consume(readCommitted, TX_TOPIC, 2)).containsExactly("tx-before", "tx-after");

      assertThat(shareConsume(bootstrap, SHARE_GROUP, TOPIC, 1))
          .as("the share group's acknowledgements before the kill were kept")
          .containsExactly("after");
    }
  }

  @Test
  void shouldNeverUnregisterTheBrokerOfAServerStillRunningOnTheDirectory() throws Exception {
    try (KafkaEndpoint running = EmbeddedKafka.start(KafkaOptions.persistent(dataDir))) {
      assertThat(StaleRegistrationRemoval.isNeeded(dataDir))
          .as("a running broker's directory looks uncleanly stopped")
          .isTrue();

      Process second = ChildJvm.start(SecondStartInAChildJvm.class, dataDir.toString());
      String output = ChildJvm.outputUntilExit(second, Duration.ofSeconds(120));

      assertThat(second.exitValue()).as("the second start failed:%n%s", output).isNotZero();
      assertThat(output).doesNotContain("STARTED").doesNotContain("was unregistered");
      String bootstrap = running.bootstrapServers();
      createTopic(bootstrap, TOPIC, 1);
      produce(bootstrap, TOPIC, List.of("still-served"));
      assertThat(consume(consumerConfig(bootstrap, GROUP), TOPIC, 1))
          .containsExactly("still-served");
    }
  }

  /** Single-replica partitions, the internal topics' included, are led by the restarted broker. */
  private static void awaitLeaderForEveryPartition(String bootstrap) {
    try (Admin admin = admin(bootstrap)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Collection<String> topics =
                    admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
                assertThat(topics)
                    .contains(
                        TOPIC, "__consumer_offsets", "__transaction_state", "__share_group_state");
                assertThat(admin.describeTopics(topics).allTopicNames().get().values())
                    .flatMap(TopicDescription::partitions)
                    .extracting(TopicPartitionInfo::leader)
                    .allSatisfy(leader -> assertThat(leader).isNotNull())
                    .allSatisfy(leader -> assertThat(leader.id()).isEqualTo(1));
              });
    }
  }

  private static long committedRecords(String bootstrap, String group) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .values()
          .stream()
          .mapToLong(OffsetAndMetadata::offset)
          .sum();
    }
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private List<String> messages(String loggerName) {
    return logs.list.stream()
        .filter(event -> event.getLoggerName().equals(loggerName))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private static Logger logger(String name) {
    return (Logger) LoggerFactory.getLogger(name);
  }
}
