package io.sluice.schemas.topic;

import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic Sluice uses, under one name prefix ({@code sluice} in production; tests use a unique
 * prefix each, so they share one broker without seeing each other's records).
 *
 * <pre>
 * sluice.jobs.submitted            job ID  → SubmittedJob   job-api → dispatcher
 * sluice.jobs.control              job ID  → JobControl     job-api → dispatcher, workers, batch-submitter
 * sluice.tasks.&lt;provider&gt;.&lt;lane&gt;   task ID → Task           dispatcher → workers / batch-submitter
 * sluice.task-results              job ID  → TaskResult     workers, batch-submitter → dispatcher
 * sluice.jobs.events               job ID  → JobEvent       dispatcher → job-api
 * sluice.dead-letters              key     → DeadLetter     any → operators
 * </pre>
 */
public record TopicCatalog(String prefix) {
  private static final Pattern NAME_PART = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Serde<String> KEYS = Serdes.String();

  /** The production catalogue. */
  public static final TopicCatalog DEFAULT = new TopicCatalog("sluice");

  public TopicCatalog {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "topic prefix must be letters, digits, '.', '_' or '-', got: " + prefix);
    }
  }

  public Topic<String, SubmittedJob> jobsSubmitted() {
    return topic("jobs.submitted", SubmittedJob.class);
  }

  public Topic<String, JobControl> jobsControl() {
    return topic("jobs.control", JobControl.class);
  }

  /** The queue of one provider's lane, e.g. {@code sluice.tasks.openai.standard}. */
  public Topic<String, Task> tasks(String provider, Lane lane) {
    if (provider == null || !NAME_PART.matcher(provider).matches()) {
      throw new IllegalArgumentException(
          "provider name must be lower-case letters, digits, '_' or '-', got: " + provider);
    }
    return topic("tasks." + provider + "." + lane.topicSegment(), Task.class);
  }

  /** The realtime lanes of a provider, highest priority first. */
  public List<Topic<String, Task>> realtimeLanes(String provider) {
    return List.of(
        tasks(provider, Lane.INTERACTIVE),
        tasks(provider, Lane.STANDARD),
        tasks(provider, Lane.BULK));
  }

  /**
   * The share group in which a provider's workers consume its realtime lanes, {@code
   * <prefix>.workers.<provider>}: its lag is the lanes' backlog.
   */
  public String workersShareGroup(String provider) {
    return prefix + ".workers." + provider;
  }

  public Topic<String, TaskResult> taskResults() {
    return topic("task-results", TaskResult.class);
  }

  public Topic<String, JobEvent> jobsEvents() {
    return topic("jobs.events", JobEvent.class);
  }

  public Topic<String, DeadLetter> deadLetters() {
    return topic("dead-letters", DeadLetter.class);
  }

  private <V> Topic<String, V> topic(String suffix, Class<V> type) {
    return new Topic<>(prefix + "." + suffix, KEYS, JsonSerde.of(type));
  }
}
