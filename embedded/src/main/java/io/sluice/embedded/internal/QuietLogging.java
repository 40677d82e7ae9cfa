package io.sluice.embedded.internal;

import java.lang.reflect.Method;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the embedded servers' own loggers down to WARN when the SLF4J backend is Logback (the
 * project's backend), unless a level was configured for them already. Other backends are left
 * alone: configure them yourself.
 */
public final class QuietLogging {

  private static final List<String> KAFKA_SERVER_LOGGERS =
      List.of(
          "kafka",
          "state.change.logger",
          "org.apache.kafka.server",
          "org.apache.kafka.raft",
          "org.apache.kafka.controller",
          "org.apache.kafka.metadata",
          "org.apache.kafka.image",
          "org.apache.kafka.storage",
          "org.apache.kafka.coordinator",
          "org.apache.kafka.queue",
          "org.apache.kafka.snapshot",
          "org.apache.kafka.network",
          "org.apache.kafka.security",
          "org.apache.kafka.common.network",
          "org.apache.kafka.common.security",
          "org.apache.kafka.common.config.AbstractConfig",
          "org.apache.kafka.common.utils.AppInfoParser",
          "org.apache.kafka.common.metrics");

  private static final List<String> POSTGRES_LOGGERS = List.of("io.zonky.test.db.postgres");

  private QuietLogging() {}

  public static void kafkaServer() {
    KAFKA_SERVER_LOGGERS.forEach(name -> atMost(name, "WARN"));
    // Kafka probes for log4j-core to offer dynamic log levels and warns when it is absent.
    atMost("org.apache.kafka.server.logger.LoggingController", "ERROR");
  }

  public static void postgres() {
    POSTGRES_LOGGERS.forEach(name -> atMost(name, "WARN"));
  }

  private static void atMost(String loggerName, String level) {
    Logger logger = LoggerFactory.getLogger(loggerName);
    if (!logger.getClass().getName().equals("ch.qos.logback.classic.Logger")) {
      return;
    }
    try {
      if (logger.getClass().getMethod("getLevel").invoke(logger) != null) {
        return;
      }
      Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level");
      Object wanted = levelClass.getMethod("toLevel", String.class).invoke(null, level);
      Method setLevel = logger.getClass().getMethod("setLevel", levelClass);
      setLevel.invoke(logger, wanted);
    } catch (ReflectiveOperationException e) {
      LoggerFactory.getLogger(QuietLogging.class)
          .debug("Could not set the level of logger {}; leaving it as configured", loggerName, e);
    }
  }
}
