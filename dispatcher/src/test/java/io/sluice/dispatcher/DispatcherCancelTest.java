package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.MODELS;
import static io.sluice.dispatcher.JobFixtures.aFailureFor;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aStartFor;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.schemas.topic.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancels on {@code jobs.control} on a real broker, exactly-once: a queued and a running job end
 * {@code cancelled} once (twice asked), a finished one does not change, the running call's result
 * only adds its cost, and a worker's drop that overtook the cancel cancels its job. {@code
 * task-results} exists first with 3 partitions, so {@code jobs.control} must be created alike.
 */
class DispatcherCancelTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path stateDir;

  @Test
  void shouldEndQueuedAndRunningJobsCancelledOnceAndLeaveAFinishedOne() {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("cancel"));
    new TopicProvisioner(bootstrap, 3, (short) 1).ensure(List.of(topics.taskResults().name()));
    var settings =
        DispatcherSettings.builder(bootstrap, stateDir)
            .topicPrefix(topics.prefix())
            .applicationId(TestInfrastructure.uniqueName("dispatcher"))
            .models(MODELS)
            .partitions(2)
            .replicationFactor((short) 1)
            .build();
    SubmittedJob queued = job(topics, "queued");
    SubmittedJob running = job(topics, "running");
    SubmittedJob done = job(topics, "done");
    SubmittedJob dropped = job(topics, "dropped");

    try (Dispatcher dispatcher = Dispatcher.start(settings);
        var broker = new OnBroker(bootstrap)) {
      dispatcher.awaitRunning(TIMEOUT);
      for (SubmittedJob job : List.of(queued, running, done, dropped)) {
        broker.send(topics.jobsSubmitted(), job.jobId(), job);
      }
      broker.awaitAtLeast(topics.tasks("openai", Lane.STANDARD), 4, TIMEOUT);
      broker.send(topics.taskResults(), running.jobId(), aStartFor(running));
      broker.send(topics.taskResults(), done.jobId(), aSuccessFor(done));
      broker.awaitAtLeast(topics.jobsEvents(), 2, TIMEOUT);

      for (SubmittedJob job : List.of(queued, queued, running, running, done)) {
        broker.send(topics.jobsControl(), job.jobId(), cancelOf(job));
      }
      broker.send(topics.taskResults(), dropped.jobId(), droppedBy(dropped));
      broker.awaitAtLeast(topics.jobsEvents(), 5, TIMEOUT);
      broker.send(topics.taskResults(), running.jobId(), aSuccessFor(running));
      List<JobEvent> events = broker.awaitAtLeast(topics.jobsEvents(), 6, TIMEOUT);

      assertThat(events)
          .extracting(JobEvent::eventId)
          .containsExactlyInAnyOrder(
              running.jobId() + ".running",
              done.jobId() + ".succeeded",
              queued.jobId() + ".cancelled",
              running.jobId() + ".cancelled",
              dropped.jobId() + ".cancelled",
              running.jobId() + ".cost.1");
      assertThat(events)
          .filteredOn(event -> event.eventId().equals(running.jobId() + ".cost.1"))
          .singleElement()
          .satisfies(
              cost -> {
                assertThat(cost.status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(cost.output()).isNull();
                assertThat(cost.costUsd()).isEqualByComparingTo(aSuccessFor(running).costUsd());
              });
    }
  }

  private static SubmittedJob job(TopicCatalog topics, String name) {
    return aJob().withId(topics.prefix() + "-" + name).build();
  }

  private static JobControl cancelOf(SubmittedJob job) {
    return JobControl.cancel(job.jobId(), job.tenantId(), Instant.now());
  }

  /** What a worker publishes for the task of a job it knows is cancelled. */
  private static TaskResult droppedBy(SubmittedJob job) {
    TaskResult failed = aFailureFor(job);
    return new TaskResult(
        failed.schemaVersion(),
        failed.taskId(),
        failed.jobId(),
        failed.tenantId(),
        TaskOutcome.CANCELLED,
        null,
        failed.usage(),
        failed.provider(),
        failed.model(),
        null,
        null,
        0,
        null,
        Instant.now());
  }
}
