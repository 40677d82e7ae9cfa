package io.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.ratelimit.InMemoryLimitStore;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.Simulator;
import io.sluice.workers.testing.LaneTraffic;
import io.sluice.workers.testing.SimulatorProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class WorkerPoolTest {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPoolTest.class);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static Simulator simulator;

  private String bootstrap;
  private TopicCatalog topics;
  private LaneTraffic traffic;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startSimulator() {
    simulator = Simulator.start();
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  @BeforeEach
  void setUp() {
    bootstrap = TestInfrastructure.kafka().bootstrapServers();
    topics = new TopicCatalog(TestInfrastructure.uniqueName("w"));
    traffic = new LaneTraffic(bootstrap, topics, "openai");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : closeables.reversed()) {
      closeable.close();
    }
    traffic.close();
  }

  private WorkerSettings.Builder settings() {
    return WorkerSettings.builder(bootstrap, topics.prefix(), "openai")
        .concurrency(4)
        .consumersPerLane(2)
        .maxAttempts(3)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0, 0.5)
        .lockDuration(Duration.ofSeconds(5))
        .shutdownTimeout(Duration.ofSeconds(2));
  }

  private WorkerPool start(WorkerSettings settings, SimulatorProvider provider) {
    WorkerPool pool = WorkerPool.start(settings, provider);
    closeables.add(pool);
    return pool;
  }

  private static Task task(Lane lane, String prompt) {
    return Tasks.aTask("openai", lane, prompt);
  }

  private static String reversed(String text) {
    return new StringBuilder(text).reverse().toString();
  }

  private TaskResult awaitResult(Task task) {
    await().atMost(WAIT).until(() -> resultOf(task) != null);
    return resultOf(task);
  }

  /**
   * Until the broker counts no record of the lanes as unacknowledged and the pool runs nothing:
   * from then on no task can be delivered again, so the calls and results counted are final.
   */
  private void awaitEveryRecordAcknowledged(WorkerPool pool) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                pool.stats().inFlight() == 0
                    && traffic.unacknowledged(pool.settings().groupId()) == 0);
  }

  private TaskResult resultOf(Task task) {
    return traffic.results().stream()
        .filter(result -> result.taskId().equals(task.taskId()))
        .findFirst()
        .orElse(null);
  }

  @Test
  void shouldProcessEveryTaskExactlyOnceWithTheDeterministicOutput() {
    List<Task> tasks = new ArrayList<>();
    Lane[] lanes = Lane.values();
    for (int i = 0; i < 90; i++) {
      tasks.add(task(lanes[i % 3], "reverse: task number " + i));
    }
    tasks.forEach(traffic::send);
    long startNanos = System.nanoTime();

    SimulatorProvider provider = new SimulatorProvider(simulator.baseUrl());
    WorkerPool pool = start(settings().concurrency(6).consumersPerLane(3).build(), provider);

    await().atMost(WAIT).until(() -> traffic.results().size() >= tasks.size());
    long millis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    LOG.info(
        "MEASURED: {} tasks in {} ms from pool start ({} tasks/s, concurrency 6, 3 consumers per lane)",
        tasks.size(),
        millis,
        tasks.size() * 1000L / Math.max(1, millis));
    awaitEveryRecordAcknowledged(pool);
    assertThat(provider.calls()).as("one provider call per task").isEqualTo(tasks.size());
    assertThat(pool.stats().succeeded()).isEqualTo(tasks.size());
    Map<String, List<TaskResult>> byTask =
        traffic.results().stream().collect(Collectors.groupingBy(TaskResult::taskId));
    assertThat(byTask).hasSize(tasks.size());
    for (Task task : tasks) {
      assertThat(byTask.get(task.taskId()))
          .singleElement()
          .satisfies(
              result -> {
                assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
                assertThat(result.output())
                    .isEqualTo(
                        reversed(
                            task.request()
                                .messages()
                                .getFirst()
                                .content()
                                .substring("reverse: ".length())));
                assertThat(result.jobId()).isEqualTo(task.jobId());
                assertThat(result.usage().inputTokens()).isPositive();
                assertThat(result.attempts()).isEqualTo(1);
              });
    }
    assertThat(traffic.starts())
        .extracting(TaskResult::taskId)
        .as("every task announced its start")
        .containsAll(byTask.keySet());
  }

  @Test
  void shouldHoldOnlyTheLanesHeadOnceTheRateLimiterBinds() {
    for (int i = 0; i < 90; i++) {
      traffic.send(task(Lane.STANDARD, "reverse: backlog " + i));
    }
    // a minute's 60 requests go at once, then one a second
    RateLimiter limiter =
        RateLimiter.builder()
            .store(new InMemoryLimitStore())
            .limits(
                new LimitKey("openai", "default", "gpt-4o-mini"), RateLimits.openAi(60, 10_000_000))
            .build();
    closeables.add(limiter);
    WorkerPool pool =
        WorkerPool.start(
            settings().recordsPerPoll(1).lockDuration(Duration.ofMinutes(1)).build(),
            new SimulatorProvider(simulator.baseUrl()),
            limiter);

    long boundAt;
    long admitted;
    long shed;
    try {
      await().atMost(WAIT).until(() -> pool.stats().deferred() >= 1);
      boundAt = pool.stats().admitted();
      // what the pool read before the limiter first deferred (at most its 4 slots' tasks, 4 held
      // and 2 polls' worth) goes back to Kafka but for the lane's head: then only heads are read.
      // At one a second, 12 admissions take 12 s; a lane that stopped reading while limited would
      // read again only once the pool no longer counts as limited, 30 s after the last deferral
      await().atMost(Duration.ofSeconds(25)).until(() -> pool.stats().admitted() >= boundAt + 12);
      admitted = pool.stats().admitted();
      shed = pool.stats().released();
    } finally {
      pool.close();
    }

    LOG.info(
        "MEASURED: {} admitted before the first deferral, {} at the stop; {} read before it given"
            + " back",
        boundAt,
        admitted,
        shed);
    assertThat(admitted)
        .as("the limit binds: the rest of the backlog waits in Kafka")
        .isLessThan(90);
    assertThat(pool.stats().released() - shed)
        .as("unstarted records given back at the stop: only the lane's head was held")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void shouldRetryRetriableFailuresUntilTheySucceed() {
    Task flaky = task(Lane.STANDARD, "#sim fail-first=2 error=503\nreverse: flaky");
    traffic.send(flaky);
    SimulatorProvider provider = new SimulatorProvider(simulator.baseUrl());

    WorkerPool pool = start(settings().build(), provider);

    TaskResult result = awaitResult(flaky);
    assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(result.output()).isEqualTo("ykalf");
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(provider.calls()).isEqualTo(3);
    assertThat(pool.stats().retries()).isEqualTo(2);
  }

  @Test
  void shouldFailAPermanentErrorWithoutRetrying() {
    Task rejected = task(Lane.INTERACTIVE, "#sim error=400\nreverse: never");
    traffic.send(rejected);
    SimulatorProvider provider = new SimulatorProvider(simulator.baseUrl());

    start(settings().build(), provider);

    TaskResult result = awaitResult(rejected);
    assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
    assertThat(result.error().retriable()).isFalse();
    assertThat(result.error().code()).isNotBlank();
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(provider.calls()).isEqualTo(1);
  }

  @Test
  void shouldFailWithTheProvidersErrorWhenAttemptsAreExhausted() {
    Task broken = task(Lane.BULK, "#sim error=503\nreverse: broken");
    traffic.send(broken);

    start(settings().maxAttempts(2).build(), new SimulatorProvider(simulator.baseUrl()));

    TaskResult result = awaitResult(broken);
    assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
    assertThat(result.error().retriable()).isTrue();
    assertThat(result.attempts()).isEqualTo(2);
  }

  @Test
  void shouldTakeInteractiveWorkBeforeStandardBeforeBulk() throws InterruptedException {
    CountDownLatch busy = new CountDownLatch(1);
    SimulatorProvider provider =
        new SimulatorProvider(simulator.baseUrl(), request -> busy.countDown());
    start(settings().concurrency(1).consumersPerLane(1).build(), provider);
    Task blocker = task(Lane.BULK, "#sim hang=2000\nreverse: blocker");
    traffic.send(blocker);
    assertThat(busy.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    List<Task> backlog = new ArrayList<>();
    for (Lane lane : List.of(Lane.BULK, Lane.STANDARD, Lane.INTERACTIVE)) {
      for (int i = 0; i < 3; i++) {
        backlog.add(task(lane, "reverse: " + lane + " " + i));
      }
    }
    backlog.forEach(traffic::send);

    await().atMost(WAIT).until(() -> traffic.results().size() >= backlog.size() + 1);
    Map<String, Lane> laneOf = backlog.stream().collect(Collectors.toMap(Task::taskId, Task::lane));
    List<Lane> order =
        traffic.results().stream()
            .map(TaskResult::taskId)
            .filter(laneOf::containsKey)
            .map(laneOf::get)
            .toList();
    assertThat(order)
        .containsExactly(
            Lane.INTERACTIVE,
            Lane.INTERACTIVE,
            Lane.INTERACTIVE,
            Lane.STANDARD,
            Lane.STANDARD,
            Lane.STANDARD,
            Lane.BULK,
            Lane.BULK,
            Lane.BULK);
  }

  @Test
  void shouldKeepTheLockOfALongCallSoTheTaskIsCalledOnce() {
    Task slow = task(Lane.STANDARD, "#sim hang=4500\nreverse: slow");
    traffic.send(slow);
    SimulatorProvider provider = new SimulatorProvider(simulator.baseUrl());

    WorkerPool pool = start(settings().lockDuration(Duration.ofMillis(1500)).build(), provider);
    TaskResult result = awaitResult(slow);
    assertThat(result.output()).isEqualTo("wols");
    awaitEveryRecordAcknowledged(pool);
    assertThat(provider.calls()).isEqualTo(1);
    assertThat(traffic.results()).filteredOn(r -> r.taskId().equals(slow.taskId())).hasSize(1);
    assertThat(pool.stats().lockRenewals()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldDeadLetterAnUnreadableRecordAndCarryOn() {
    traffic.sendRaw(Lane.STANDARD, "garbage-1", "{oops".getBytes(StandardCharsets.UTF_8));
    Task good = task(Lane.STANDARD, "reverse: fine");
    traffic.send(good);

    start(settings().build(), new SimulatorProvider(simulator.baseUrl()));

    assertThat(awaitResult(good).output()).isEqualTo("enif");
    await().atMost(WAIT).until(() -> !traffic.deadLetters().isEmpty());
    assertThat(traffic.deadLetters())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.key()).isEqualTo("garbage-1");
              assertThat(letter.payload()).isEqualTo("{oops");
            });
  }

  @Test
  void shouldReleaseInFlightTasksOnCloseSoAnotherWorkerFinishesThem() {
    CountDownLatch called = new CountDownLatch(1);
    Task slow = task(Lane.STANDARD, "#sim hang=3000\nreverse: handed over");
    traffic.send(slow);
    WorkerPool first =
        WorkerPool.start(
            settings().shutdownTimeout(Duration.ZERO).build(),
            new SimulatorProvider(simulator.baseUrl(), request -> called.countDown()));
    await().atMost(WAIT).until(() -> called.getCount() == 0);

    first.close();
    assertThat(first.stats().released()).isEqualTo(1);
    start(settings().build(), new SimulatorProvider(simulator.baseUrl()));

    TaskResult result = awaitResult(slow);
    assertThat(result.output()).isEqualTo(reversed("handed over"));
    Function<TaskResult, String> id = TaskResult::taskId;
    assertThat(traffic.results()).extracting(id).containsOnlyOnce(slow.taskId());
  }
}
