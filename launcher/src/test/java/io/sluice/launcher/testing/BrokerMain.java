package io.sluice.launcher.testing;

import io.sluice.embedded.EmbeddedKafka;
import io.sluice.embedded.KafkaOptions;
import java.nio.file.Path;

/**
 * A Kafka broker alone in a child JVM, on a fixed port and a persistent directory, so a test can
 * take it away (SIGTERM) and bring it back on the same address: {@code BrokerMain <dir> <port>}.
 * Prints {@code READY} once clients can connect.
 */
public final class BrokerMain {
  private BrokerMain() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedKafka.start(new KafkaOptions(Path.of(args[0]), Integer.parseInt(args[1]), false));
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }
}
