package io.sluice.jobapi.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobWatchTest {
  private final JobWatch watch = new JobWatch();

  @Test
  void shouldWakeEveryWaiterOfTheChangedJobOnly() {
    CompletableFuture<Boolean> first = watch.nextChange("job_a");
    CompletableFuture<Boolean> second = watch.nextChange("job_a");
    CompletableFuture<Boolean> other = watch.nextChange("job_b");

    watch.changed("job_a");

    assertThat(first).isCompletedWithValue(true);
    assertThat(second).isCompletedWithValue(true);
    assertThat(other).isNotDone();
    assertThat(watch.waiting()).isEqualTo(1);
  }

  @Test
  void shouldForgetAWaiterThatWasCancelledOrTimedOut() {
    CompletableFuture<Boolean> cancelled = watch.nextChange("job_a");
    CompletableFuture<Boolean> timedOut = watch.nextChange("job_a");

    cancelled.cancel(false);
    timedOut.completeOnTimeout(false, 1, TimeUnit.NANOSECONDS);

    // The timeout completes the future on the JDK's delayer thread, which runs the removal after
    // a join() on this thread may already have returned: wait for the registry, not the future.
    await().atMost(Duration.ofSeconds(5)).until(() -> watch.waiting() == 0);
    assertThat(timedOut).isCompletedWithValue(false);
  }

  @Test
  void shouldKeepAWaiterRegisteredWhileAnEarlierOneOfTheSameJobIsWoken() {
    CompletableFuture<Boolean> early = watch.nextChange("job_a");
    CompletableFuture<Boolean> late = new CompletableFuture<>();
    early.thenRun(() -> late.complete(watch.nextChange("job_a").isDone()));

    watch.changed("job_a");

    assertThat(late).isCompletedWithValue(false);
    assertThat(watch.waiting()).as("the waiter registered while waking stays").isEqualTo(1);
    watch.changed("job_a");
    assertThat(watch.waiting()).isZero();
  }

  @Test
  void shouldWakeEveryWaiterWhenAllMayHaveChanged() {
    CompletableFuture<Boolean> a = watch.nextChange("job_a");
    CompletableFuture<Boolean> b = watch.nextChange("job_b");

    watch.changedAll();

    assertThat(a).isCompletedWithValue(true);
    assertThat(b).isCompletedWithValue(true);
    assertThat(watch.waiting()).isZero();
  }
}
