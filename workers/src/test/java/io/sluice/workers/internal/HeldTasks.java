package io.sluice.workers.internal;

import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.AcknowledgeType;

/** Test data: held tasks of a given lane and model, and an owner that records their verdicts. */
final class HeldTasks implements HeldTask.Owner {
  static final JsonSerde<Task> TASKS = JsonSerde.of(Task.class);
  private static final AtomicLong OFFSETS = new AtomicLong();

  /** A task's verdict as its owner received it. */
  record Verdict(HeldTask task, AcknowledgeType type) {}

  final List<Verdict> verdicts = new CopyOnWriteArrayList<>();

  @Override
  public void completed(HeldTask task, AcknowledgeType verdict) {
    verdicts.add(new Verdict(task, verdict));
  }

  static Task task(Lane lane, String model, String prompt) {
    return task(lane, model, prompt, "tenant-1");
  }

  static Task task(Lane lane, String model, String prompt, String tenant) {
    String jobId = "job-" + OFFSETS.incrementAndGet();
    return new Task(
        Versioned.CURRENT,
        Task.completionTaskId(jobId),
        jobId,
        tenant,
        "openai",
        lane,
        new CompletionSpec(model, List.of(ChatMessage.user(prompt)), 64, null, null),
        10,
        Instant.parse("2026-01-01T00:00:00Z"),
        null);
  }

  HeldTask held(Lane lane, String model, Instant readAt) {
    return held(lane, model, readAt, 1);
  }

  /** A task on its {@code deliveryCount}-th delivery. */
  HeldTask held(Lane lane, String model, Instant readAt, int deliveryCount) {
    return held(lane, model, readAt, deliveryCount, "tenant-1");
  }

  /** A task of {@code tenant} on its {@code deliveryCount}-th delivery. */
  HeldTask held(Lane lane, String model, Instant readAt, int deliveryCount, String tenant) {
    Task task = task(lane, model, "reverse: " + lane, tenant);
    String topic = "t.tasks.openai." + lane.topicSegment();
    return new HeldTask(
        this,
        new LaneConsumer.RecordKey(topic, 0, OFFSETS.incrementAndGet()),
        lane,
        Delivery.read(topic, task.taskId(), TASKS.toBytes(task), deliveryCount, readAt));
  }
}
