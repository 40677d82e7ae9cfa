package io.sluice.bench.intake;

/**
 * CPU seconds (user + system) spent over one measured interval.
 *
 * @param wallSeconds the interval's length
 * @param generatorSeconds the benchmark's own JVM (the load generator)
 * @param platformJvmSeconds the {@code sluice local} JVM (API, Kafka, dispatcher, workers,
 *     simulator)
 * @param platformPostgresSeconds its embedded PostgreSQL's processes
 * @param machineBusyShare all cores of the machine busy, 0..1 (other processes included)
 */
public record CpuFigures(
    double wallSeconds,
    double generatorSeconds,
    double platformJvmSeconds,
    double platformPostgresSeconds,
    double machineBusyShare) {

  /** The JVM and PostgreSQL together. */
  public double platformSeconds() {
    return platformJvmSeconds + platformPostgresSeconds;
  }

  /** CPU seconds per second of the interval: cores kept busy by the generator. */
  public double generatorCores() {
    return wallSeconds <= 0 ? 0 : generatorSeconds / wallSeconds;
  }

  /** Cores kept busy by the platform. */
  public double platformCores() {
    return wallSeconds <= 0 ? 0 : platformSeconds() / wallSeconds;
  }
}
