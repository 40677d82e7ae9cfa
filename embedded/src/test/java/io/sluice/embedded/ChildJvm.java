package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A child JVM on this test's class path that prints {@code READY} once it has set up its data. */
final class ChildJvm {

  private ChildJvm() {}

  static Process start(Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + mainClass.getName(), e);
    }
  }

  /** Waits until the child prints {@code READY}; fails if it exits first. */
  static void awaitReady(Process child) {
    CompletableFuture<Boolean> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader output =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                  if (line.equals("READY")) {
                    return true;
                  }
                }
                return false;
              } catch (IOException e) {
                return false;
              }
            });
    await().atMost(Duration.ofSeconds(120)).until(ready::isDone);
    assertThat(ready.join()).as("child JVM set up its data").isTrue();
  }

  /** Everything the child prints until it exits. */
  static String outputUntilExit(Process child, Duration timeout) throws InterruptedException {
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    assertThat(child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("child JVM exited within %s", timeout)
        .isTrue();
    return output.join();
  }

  /** SIGKILL: the child gets no chance to shut anything down. */
  static void kill(Process child) throws InterruptedException {
    child.destroyForcibly().waitFor();
  }
}
