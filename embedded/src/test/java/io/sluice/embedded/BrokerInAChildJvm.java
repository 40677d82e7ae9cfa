package io.sluice.embedded;

import static io.sluice.embedded.KafkaClients.consume;
import static io.sluice.embedded.KafkaClients.consumerConfig;
import static io.sluice.embedded.KafkaClients.createTopic;
import static io.sluice.embedded.KafkaClients.produce;
import static io.sluice.embedded.KafkaClients.produceInTransaction;
import static io.sluice.embedded.KafkaClients.shareConsume;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link UncleanRestartTest}: starts a persistent broker, leaves data in a
 * topic, a consumer group, a transaction and a share group (so that the three internal topics
 * exist), prints {@code READY} and waits to be killed.
 */
public final class BrokerInAChildJvm {

  public static void main(String[] args) throws Exception {
    KafkaEndpoint kafka = EmbeddedKafka.start(KafkaOptions.persistent(Path.of(args[0])));
    String bootstrap = kafka.bootstrapServers();
    createTopic(bootstrap, UncleanRestartTest.TOPIC, 3);
    produce(bootstrap, UncleanRestartTest.TOPIC, UncleanRestartTest.BEFORE);
    consume(consumerConfig(bootstrap, UncleanRestartTest.GROUP), UncleanRestartTest.TOPIC, 3);
    createTopic(bootstrap, UncleanRestartTest.TX_TOPIC, 1);
    produceInTransaction(bootstrap, UncleanRestartTest.TX_TOPIC, "tx-before");
    shareConsume(bootstrap, UncleanRestartTest.SHARE_GROUP, UncleanRestartTest.TOPIC, 3);
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }

  private BrokerInAChildJvm() {}
}
