package io.sluice.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * Where components' meters live. A process makes one {@link ProcessMeters} registry, hands it to
 * each component it runs (their settings' {@code meters}) and serves it with a {@link
 * ManagementServer}; a component started without one records into {@link #none()}.
 */
public final class Meters {
  private Meters() {}

  /**
   * A registry that keeps nothing: meters registered on it are no-ops. The default of every
   * component's settings, so a component embedded in a test or a benchmark pays (almost) nothing.
   */
  public static MeterRegistry none() {
    return new CompositeMeterRegistry();
  }
}
