package io.sluice.dispatcher.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.task.Task;
import org.junit.jupiter.api.Test;

class MapReduceTaskIdTest {

  @Test
  void shouldReadBackTheMapAndReduceTaskIdsItWrites() {
    assertThat(MapReduceTaskId.parse("job_1", Task.mapTaskId("job_1", 17)))
        .contains(new MapReduceTaskId(0, 17));
    assertThat(MapReduceTaskId.parse("job_1", Task.reduceTaskId("job_1", 3, 4)))
        .contains(new MapReduceTaskId(3, 4));
    assertThat(new MapReduceTaskId(3, 4).taskId("job_1")).isEqualTo("job_1.r3.4");
    assertThat(new MapReduceTaskId(0, 9).taskId("job_1")).isEqualTo("job_1.m9");
  }

  @Test
  void shouldNotTakeACompletionTaskOrAnotherJobsTaskForAMapReduceTask() {
    assertThat(MapReduceTaskId.parse("job_1", Task.completionTaskId("job_1"))).isEmpty();
    assertThat(MapReduceTaskId.parse("job_1", "job_12.m1")).isEmpty();
    assertThat(MapReduceTaskId.parse("job_1", "job_1.r0.1")).isEmpty();
    assertThat(MapReduceTaskId.parse("job_1", "job_1.r2")).isEmpty();
    assertThat(MapReduceTaskId.parse("job_1", "job_1.mx")).isEmpty();
    assertThat(MapReduceTaskId.parse("job_1", "job_1.m99999999999")).isEmpty();
  }
}
