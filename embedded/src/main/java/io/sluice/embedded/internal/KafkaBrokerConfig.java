package io.sluice.embedded.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of a one-node KRaft cluster (broker and controller in one server) on 127.0.0.1.
 * Internal topics use replication factor 1 so that consumer groups, transactions and share groups
 * work with a single node.
 */
public record KafkaBrokerConfig(Path logDir, int brokerPort, int controllerPort, boolean fast) {

  public static final int NODE_ID = 1;
  public static final String CONTROLLER_LISTENER = "CONTROLLER";

  public Map<String, String> properties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.putAll(kraft());
    props.putAll(singleNodeReplication());
    props.putAll(topicDefaults());
    props.putAll(smallFootprint());
    props.putAll(longRecordLocks());
    props.putAll(quickRestart());
    props.putAll(fast ? fastShareGroups() : localShareGroups());
    return props;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The {@code bootstrap.controllers} value for an admin client that talks to the controller. */
  public String bootstrapControllers() {
    return "127.0.0.1:" + controllerPort;
  }

  /**
   * The same node as a controller alone, on the same metadata log: what {@link
   * StaleRegistrationRemoval} starts to unregister a dead broker before any broker of this node
   * runs.
   */
  public Map<String, String> controllerOnlyProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + bootstrapControllers());
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("listeners", CONTROLLER_LISTENER + "://" + bootstrapControllers());
    props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDir.toAbsolutePath().toString());
    props.putAll(smallFootprint());
    props.putAll(quickRestart());
    return props;
  }

  private Map<String, String> kraft() {
    return Map.of(
        "process.roles",
        "broker,controller",
        "node.id",
        String.valueOf(NODE_ID),
        "controller.quorum.voters",
        NODE_ID + "@127.0.0.1:" + controllerPort,
        "controller.listener.names",
        CONTROLLER_LISTENER,
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners",
        "PLAINTEXT://" + bootstrapServers(),
        "inter.broker.listener.name",
        "PLAINTEXT",
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs",
        logDir.toAbsolutePath().toString());
  }

  private static Map<String, String> singleNodeReplication() {
    return Map.ofEntries(
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "6"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("transaction.state.log.num.partitions", "6"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("share.coordinator.state.topic.num.partitions", "6"),
        Map.entry("default.replication.factor", "1"),
        Map.entry("min.insync.replicas", "1"));
  }

  private static Map<String, String> topicDefaults() {
    return Map.of(
        "num.partitions", "6",
        "auto.create.topics.enable", "false",
        "delete.topic.enable", "true",
        "group.initial.rebalance.delay.ms", "0");
  }

  /** Fewer threads and buffers than a production broker: this one shares two cores with tests. */
  private static Map<String, String> smallFootprint() {
    return Map.of(
        "num.network.threads", "2",
        "num.io.threads", "2",
        "background.threads", "2",
        "num.recovery.threads.per.data.dir", "1",
        "log.cleaner.threads", "1",
        "log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024),
        "num.replica.fetchers", "1");
  }

  /**
   * Share groups may hold records for up to an hour (Kafka's default ceiling is 1 min): Sluice's
   * workers lock records for 5 min by default, because a rate-limited task can wait minutes.
   */
  private static Map<String, String> longRecordLocks() {
    return Map.of("group.share.max.record.lock.duration.ms", "3600000");
  }

  /**
   * After an unclean stop the controller keeps the broker's old registration until its session
   * expires (9 s by default), counted from the controller's activation, before the restarted broker
   * may register again. {@link StaleRegistrationRemoval} unregisters it first, so the session
   * matters only when that fails: every embedded broker uses a 6 s session with heartbeats every
   * second. Shorter is not safe: with a 3 s session a loaded two-core machine stalled the
   * controller's event queue for 5 to 8 s, the broker was fenced, its partitions went offline and
   * sluice local never came up (CI, LocalShutdownTest and KafkaOutageTest).
   */
  private static Map<String, String> quickRestart() {
    return Map.of("broker.heartbeat.interval.ms", "1000", "broker.session.timeout.ms", "6000");
  }

  /**
   * Share-group timings for a persistent local broker (sluice local): when the process is killed,
   * its share consumers' partitions go back to the restarted workers after 10 s instead of 45 s.
   */
  private static Map<String, String> localShareGroups() {
    return Map.of(
        "group.share.min.heartbeat.interval.ms", "1000",
        "group.share.heartbeat.interval.ms", "2000",
        "group.share.min.session.timeout.ms", "6000",
        "group.share.session.timeout.ms", "10000");
  }

  /**
   * Share-group timings for tests: record locks may be as short as 1 s, heartbeats every second,
   * sessions expire after 6 s. The broker minimums are lowered so that these values are legal.
   */
  private static Map<String, String> fastShareGroups() {
    return Map.of(
        "group.share.min.record.lock.duration.ms", "1000",
        "group.share.min.heartbeat.interval.ms", "1000",
        "group.share.heartbeat.interval.ms", "1000",
        "group.share.min.session.timeout.ms", "6000",
        "group.share.session.timeout.ms", "6000");
  }
}
