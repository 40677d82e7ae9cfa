package io.sluice.embedded;

import io.sluice.embedded.internal.FreePorts;
import io.sluice.embedded.internal.PostgresServerConfig;
import io.sluice.embedded.internal.QuietLogging;
import io.sluice.embedded.internal.ShutdownHooks;
import io.sluice.embedded.internal.StalePostmaster;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run as a child process from the zonky binaries, listening on 127.0.0.1. The
 * cluster is created on first start and reused afterwards, so a restart on the same directory keeps
 * databases, tables and rows.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM runs as root, zonky starts every PostgreSQL
 * command under {@code unshare -U} (a new user namespace where the process is not uid 0), which
 * needs nothing but util-linux and unprivileged user namespaces.
 */
public final class EmbeddedPostgres implements PostgresEndpoint {

  public static final String USER = "postgres";
  public static final String PASSWORD = "postgres";
  public static final String DATABASE = "postgres";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
  private final Path dataDir;
  private Thread shutdownHook;
  private boolean closed;

  private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path dir) {
    this.server = server;
    this.dataDir = dir;
  }

  private EmbeddedPostgres stopOnExit(boolean wanted) {
    if (wanted) {
      shutdownHook = ShutdownHooks.register("sluice-embedded-postgres-stop", this::close);
    }
    return this;
  }

  /**
   * Starts the server and returns once it accepts connections. It stops on {@link #close()} or,
   * unless {@link PostgresOptions#stopOnJvmExit()} is off, at the latest when the JVM exits.
   */
  public static PostgresEndpoint start(PostgresOptions options) {
    QuietLogging.postgres();
    requireUnprivilegedOrUnshare();
    Path pgData = options.dataDir().resolve("pgdata");
    createDirectories(options.dataDir());
    StalePostmaster.stopIfRunning(pgData);
    long started = System.nanoTime();
    Redirect serverLog = Redirect.appendTo(options.dataDir().resolve("postgres.log").toFile());
    var builder =
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
            .setDataDirectory(pgData)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .setPort(FreePorts.orFree(options.port()))
            .setPGStartupWait(STARTUP_WAIT)
            .setOutputRedirector(serverLog)
            .setErrorRedirector(serverLog);
    PostgresServerConfig.settings(options.fastTestSettings()).forEach(builder::setServerConfig);
    try {
      EmbeddedPostgres postgres =
          new EmbeddedPostgres(builder.start(), options.dataDir())
              .stopOnExit(options.stopOnJvmExit());
      log.info(
          "Embedded PostgreSQL started at {} on {} in {} ms",
          postgres.jdbcUrl(),
          options.dataDir(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "PostgreSQL did not start on "
              + pgData
              + "; see "
              + options.dataDir().resolve("postgres.log"),
          e);
    }
  }

  /** Fails with advice instead of PostgreSQL's "root execution is not permitted". */
  private static void requireUnprivilegedOrUnshare() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root && !LinuxUtils.isUnshareAvailable()) {
      throw new IllegalStateException(
          "PostgreSQL cannot run as root and 'unshare -U' (user namespaces) is not available here."
              + " Run as a non-root user, enable unprivileged user namespaces, or point"
              + " SLUICE_TEST_JDBC_URL at an external PostgreSQL.");
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create PostgreSQL directory " + dir, e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** The JDBC URL of another database on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  @Override
  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  @Override
  public String username() {
    return USER;
  }

  /** Connections from 127.0.0.1 are trusted, so any password works; this one is conventional. */
  @Override
  public String password() {
    return PASSWORD;
  }

  /** Stops the server (fast shutdown: open sessions are ended, committed data is kept). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ShutdownHooks.unregister(shutdownHook);
    long started = System.nanoTime();
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop PostgreSQL on " + dataDir, e);
    }
    log.info(
        "Embedded PostgreSQL on {} stopped in {} ms",
        dataDir,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @Override
  public String toString() {
    return "EmbeddedPostgres[" + jdbcUrl() + ", " + dataDir + "]";
  }
}
