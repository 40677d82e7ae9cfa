package io.sluice.embedded.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * Says whether Testcontainers can use a Docker engine. A cheap look for a socket or a configured
 * host comes first, so machines without an engine get a quick, quiet answer; only when one looks
 * present is Testcontainers asked (which then really connects).
 */
public final class DockerProbe {

  private DockerProbe() {}

  public static boolean dockerAvailable() {
    return engineConfigured() && DockerClientFactory.instance().isDockerAvailable();
  }

  static boolean engineConfigured() {
    if (System.getenv("DOCKER_HOST") != null
        || System.getenv("TESTCONTAINERS_HOST_OVERRIDE") != null) {
      return true;
    }
    if (Files.isRegularFile(home().resolve(".testcontainers.properties"))) {
      return true;
    }
    return socketCandidates().stream().anyMatch(Files::exists);
  }

  private static List<Path> socketCandidates() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/var/run/docker.sock"));
    candidates.add(Path.of("/run/docker.sock"));
    candidates.add(home().resolve(".docker/run/docker.sock"));
    candidates.add(home().resolve(".docker/desktop/docker.sock"));
    candidates.add(home().resolve(".colima/default/docker.sock"));
    candidates.add(home().resolve(".rd/docker.sock"));
    Optional.ofNullable(System.getenv("XDG_RUNTIME_DIR"))
        .ifPresent(dir -> candidates.add(Path.of(dir, "docker.sock")));
    Optional.ofNullable(System.getenv("XDG_RUNTIME_DIR"))
        .ifPresent(dir -> candidates.add(Path.of(dir, "podman/podman.sock")));
    return candidates;
  }

  private static Path home() {
    return Path.of(System.getProperty("user.home"));
  }
}
