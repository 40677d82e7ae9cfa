package io.sluice.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named {@link HealthCheck}s that together say whether a process is live (or ready): all must be
 * up. Checks are added as the parts they watch start, so a process whose parts have not all started
 * reports the missing ones through a check registered before the start (see {@link #pending}).
 * Thread-safe.
 */
public final class HealthChecks {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

  private final Map<String, HealthCheck> checks = new LinkedHashMap<>();

  /** Adds (or replaces) the check called {@code name}. */
  public synchronized HealthChecks add(String name, HealthCheck check) {
    checks.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
    return this;
  }

  /**
   * A flag-backed check, down ("not started") until {@link Started#started()} is called: register
   * it before a part starts, set it once the part has started its work.
   */
  public Started pending(String name) {
    Started flag = new Started(name);
    add(name, flag);
    return flag;
  }

  /** Runs every check; a check that throws counts as down (its exception's type as reason). */
  public HealthReport report() {
    Map<String, HealthCheck> snapshot;
    synchronized (this) {
      snapshot = new LinkedHashMap<>(checks);
    }
    Map<String, String> failing = new LinkedHashMap<>();
    snapshot.forEach(
        (name, check) -> {
          Health health = run(name, check);
          if (!health.isUp()) {
            failing.put(name, health.reason());
          }
        });
    return new HealthReport(failing);
  }

  private static Health run(String name, HealthCheck check) {
    try {
      return check.check();
    } catch (RuntimeException e) {
      LOG.debug("health check {} failed: {}", name, e.toString());
      return Health.down("check failed: " + e.getClass().getSimpleName());
    }
  }

  /** A check that is down until its part says it has started, and down again once it stops. */
  public static final class Started implements HealthCheck {
    private final String name;
    private volatile Health health;

    private Started(String name) {
      this.name = name;
      this.health = Health.down(name + " has not started");
    }

    public void started() {
      health = Health.up();
    }

    public void stopped() {
      health = Health.down(name + " is stopping");
    }

    @Override
    public Health check() {
      return health;
    }
  }
}
