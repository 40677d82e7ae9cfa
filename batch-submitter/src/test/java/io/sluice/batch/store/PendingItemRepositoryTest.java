package io.sluice.batch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.batch.plan.BatchIds;
import io.sluice.batch.plan.GroupKey;
import io.sluice.batch.plan.GroupSummary;
import io.sluice.batch.plan.ItemState;
import io.sluice.batch.plan.PendingItem;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pending-item table on a real PostgreSQL: cancel, fallback and the queue count. */
class PendingItemRepositoryTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final GroupKey GROUP = new GroupKey("openai", "gpt-4o-mini");
  private static PostgresEndpoint database;
  private static HikariDataSource pool;
  private static BatchDatabase db;
  private final PendingItemRepository items = new PendingItemRepository();
  private final ProviderBatchRepository batches = new ProviderBatchRepository();
  private final BatchMemberRepository members = new BatchMemberRepository();

  @BeforeAll
  static void migrate() {
    database = TestInfrastructure.newDatabase();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.jdbcUrl());
    config.setUsername(database.username());
    config.setPassword(database.password());
    config.setMaximumPoolSize(2);
    pool = new HikariDataSource(config);
    db = new BatchDatabase(pool);
    db.migrate();
  }

  @AfterAll
  static void drop() {
    pool.close();
    database.close();
  }

  private long insert(String jobId, String taskId, long tokens) {
    return insert(jobId, taskId, tokens, null);
  }

  private long insert(String jobId, String taskId, long tokens, Instant deadline) {
    Task task =
        new Task(
            Versioned.CURRENT,
            taskId,
            jobId,
            "tenant-1",
            GROUP.provider(),
            Lane.DEFERRED,
            new CompletionSpec(GROUP.model(), List.of(ChatMessage.user("hi")), 10, null, null),
            tokens,
            NOW,
            deadline);
    return db.inTransaction(
        "insert",
        c -> items.insertIfAbsent(c, task, StoredJson.write(task), 100, tokens, NOW).orElseThrow());
  }

  /** Plans a batch of the given items, as the submitter does. */
  private String planned(List<Long> itemIds, long tokens) {
    String batchId = BatchIds.newBatchId();
    db.inTransaction(
        "plan",
        c -> {
          List<PendingItem> waiting =
              items.waiting(c, GROUP, NOW, NOW, 100).stream()
                  .filter(item -> itemIds.contains(item.itemId()))
                  .toList();
          batches.insertPlanned(c, batchId, GROUP, waiting.size(), tokens, NOW);
          members.insert(c, batchId, waiting);
          items.assign(c, itemIds, batchId, NOW);
          return null;
        });
    return batchId;
  }

  @Test
  void shouldLeaveAnItemTheDeadlineSweepMustActOnOutOfEveryBatch() {
    long due = insert("job-due", "job-due.c", 10, NOW.plusSeconds(30));
    long later = insert("job-later", "job-later.c", 10, NOW.plusSeconds(3600));
    Instant sweepActsUpTo = NOW.plusSeconds(60);

    List<Long> waiting =
        db.inTransaction("waiting", c -> items.waiting(c, GROUP, NOW, sweepActsUpTo, 1000)).stream()
            .map(PendingItem::itemId)
            .toList();
    GroupSummary summary =
        db.inTransaction("summary", c -> items.summary(c, GROUP, NOW, sweepActsUpTo));

    assertThat(waiting).contains(later).doesNotContain(due);
    assertThat(summary.earliestDeadline()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(state("job-due.c")).isEqualTo(ItemState.PENDING);
  }

  private ItemState state(String taskId) {
    return db.inTransaction("find", c -> items.find(c, taskId)).orElseThrow().state();
  }

  @Test
  void shouldDropEveryUnfinishedItemOfACancelledJobAndNoOther() {
    long pending = insert("job-cancel", "job-cancel.m0", 10);
    long inBatch = insert("job-cancel", "job-cancel.m1", 10);
    insert("job-other", "job-other.c", 10);
    String batchId = planned(List.of(inBatch), 10);

    int dropped = db.inTransaction("cancel", c -> items.cancelJob(c, "job-cancel", NOW));

    assertThat(dropped).isEqualTo(2);
    assertThat(state("job-cancel.m0")).isEqualTo(ItemState.CANCELLED);
    assertThat(state("job-cancel.m1")).isEqualTo(ItemState.CANCELLED);
    assertThat(state("job-other.c")).isEqualTo(ItemState.PENDING);
    int assigned =
        db.inTransaction(
            "assign", c -> items.assign(c, List.of(pending), "sb" + "0".repeat(32), NOW));
    assertThat(assigned).isZero();
    List<BatchMember> lines = db.inTransaction("members", c -> members.members(c, batchId));
    assertThat(lines).singleElement().satisfies(line -> assertThat(line.current()).isFalse());
    int again = db.inTransaction("again", c -> items.cancelJob(c, "job-cancel", NOW));
    assertThat(again).isZero();
  }

  @Test
  void shouldCountTheTokensOfUnfinishedBatchesOfTheModelAndTheRequestsOfTheAccount() {
    GroupKey otherModel = new GroupKey(GROUP.provider(), "gpt-4o");
    db.inTransaction(
        "plan others",
        c -> {
          batches.insertPlanned(c, BatchIds.newBatchId(), otherModel, 7, 7_000, NOW);
          batches.insertPlanned(
              c, BatchIds.newBatchId(), new GroupKey("anthropic", GROUP.model()), 5, 5, NOW);
          return null;
        });
    long first = insert("job-q1", "job-q1.c", 400);
    long second = insert("job-q2", "job-q2.c", 600);
    planned(List.of(first, second), 1_000);

    var usage = db.inTransaction("usage", c -> batches.queueUsage(c, GROUP, NOW));

    assertThat(usage.enqueuedTokens()).isGreaterThanOrEqualTo(1_000).isLessThan(7_000);
    assertThat(usage.enqueuedRequests()).isGreaterThanOrEqualTo(9);
    assertThat(usage.creationsLastHour()).isGreaterThanOrEqualTo(2);
    assertThat(usage.lastRefusal()).isNull();
  }
}
