package io.sluice.embedded;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link UncleanRestartTest}: starts a broker on a directory that a running
 * broker uses, and prints {@code STARTED} should that ever succeed.
 */
public final class SecondStartInAChildJvm {

  public static void main(String[] args) {
    EmbeddedKafka.start(KafkaOptions.persistent(Path.of(args[0])));
    System.out.println("STARTED");
    System.exit(0);
  }

  private SecondStartInAChildJvm() {}
}
