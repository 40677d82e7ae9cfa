package io.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  @Test
  void stopsPartsInTheReverseOrderOfStartEvenWhenOneFails() {
    List<String> stopped = new ArrayList<>();
    Lifecycle lifecycle = new Lifecycle("test process");
    lifecycle.started("postgres", () -> stopped.add("postgres"));
    lifecycle.started("kafka", () -> stopped.add("kafka"));
    lifecycle.started(
        "dispatcher",
        () -> {
          stopped.add("dispatcher");
          throw new IllegalStateException("already closed");
        });
    lifecycle.started("api", () -> stopped.add("api"));

    lifecycle.close();
    lifecycle.close();

    assertThat(stopped).containsExactly("api", "dispatcher", "kafka", "postgres");
  }

  @Test
  void refusesNewPartsOnceStopping() {
    Lifecycle lifecycle = new Lifecycle("test process");
    lifecycle.close();
    assertThatThrownBy(() -> lifecycle.started("late", () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("late");
  }

  @Test
  void startsPartsTogetherAndStopsThemInTheReverseOfTheGivenOrderWhicheverStartedFirst()
      throws Exception {
    List<String> stopped = new CopyOnWriteArrayList<>();
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch apiReturning = new CountDownLatch(1);
    Lifecycle lifecycle = new Lifecycle("test process");
    lifecycle.started("postgres", () -> stopped.add("postgres"));

    lifecycle.startTogether(
        List.of(
            new Lifecycle.PartStart(
                "slow dispatcher",
                () -> {
                  bothRunning.countDown();
                  bothRunning.await();
                  apiReturning.await(); // finishes starting after the api
                  return () -> stopped.add("dispatcher");
                }),
            new Lifecycle.PartStart(
                "api",
                () -> {
                  bothRunning.countDown();
                  bothRunning.await(); // would never return if the parts started one by one
                  apiReturning.countDown();
                  return () -> stopped.add("api");
                })));
    lifecycle.close();

    assertThat(stopped).containsExactly("api", "dispatcher", "postgres");
  }

  @Test
  void closesThePartsThatStartedWhenAnotherFailsAndRethrowsItsFailure() {
    List<String> stopped = new CopyOnWriteArrayList<>();
    Lifecycle lifecycle = new Lifecycle("test process");
    lifecycle.started("postgres", () -> stopped.add("postgres"));

    assertThatThrownBy(
            () ->
                lifecycle.startTogether(
                    List.of(
                        new Lifecycle.PartStart(
                            "dispatcher", () -> () -> stopped.add("dispatcher")),
                        new Lifecycle.PartStart(
                            "api",
                            () -> {
                              throw new IllegalStateException("port 8080 is taken");
                            }),
                        new Lifecycle.PartStart("workers", () -> () -> stopped.add("workers")))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("port 8080 is taken");
    assertThat(stopped).containsExactly("workers", "dispatcher");

    lifecycle.close();
    assertThat(stopped).containsExactly("workers", "dispatcher", "postgres");
  }

  @Test
  void closesPartsThatFinishStartingAfterTheProcessBeganToStop() {
    List<String> stopped = new CopyOnWriteArrayList<>();
    Lifecycle lifecycle = new Lifecycle("test process");

    assertThatThrownBy(
            () ->
                lifecycle.startTogether(
                    List.of(
                        new Lifecycle.PartStart(
                            "api",
                            () -> {
                              lifecycle.close(); // SIGTERM while starting
                              return () -> stopped.add("api");
                            }))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stopping");
    assertThat(stopped).containsExactly("api");
  }

  @Test
  void closesPartsTogetherWhenAskedAndReturnsOnceAllAreClosed() {
    // each part's close waits until every part is closing: one after the other, none would end
    CountDownLatch closing = new CountDownLatch(3);
    List<String> closed = new CopyOnWriteArrayList<>();
    Lifecycle lifecycle = new Lifecycle("test pools");
    for (String name : List.of("a", "b", "c")) {
      lifecycle.started(
          name,
          () -> {
            closing.countDown();
            if (!closing.await(10, TimeUnit.SECONDS)) {
              throw new IllegalStateException(name + " closed alone");
            }
            closed.add(name);
          });
    }

    lifecycle.closeTogether();
    lifecycle.closeTogether();

    assertThat(closed).containsExactlyInAnyOrder("a", "b", "c");
  }
}
