package io.sluice.batch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.batch.plan.BatchIds;
import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.GroupKey;
import io.sluice.batch.plan.IllegalBatchTransitionException;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batch table's phase changes on a real PostgreSQL: only moves of the table, only once. */
class ProviderBatchRepositoryTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final GroupKey GROUP = new GroupKey("openai", "gpt-4o-mini");
  private static PostgresEndpoint database;
  private static HikariDataSource pool;
  private static BatchDatabase db;
  private final ProviderBatchRepository batches = new ProviderBatchRepository();

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
    db.migrate();
  }

  @AfterAll
  static void drop() {
    pool.close();
    database.close();
  }

  private String planned() {
    String batchId = BatchIds.newBatchId();
    db.inTransaction(
        "plan",
        c -> {
          batches.insertPlanned(c, batchId, GROUP, 3, 30, NOW);
          return null;
        });
    return batchId;
  }

  private StoredBatch find(String batchId) {
    return db.inTransaction("find", c -> batches.find(c, batchId)).orElseThrow();
  }

  @Test
  void shouldRecordEachPhaseWithTheProvidersIdOnceSubmitted() {
    String batchId = planned();
    db.inTransaction(
        "walk",
        c -> {
          batches.move(c, batchId, BatchPhase.PLANNED, BatchPhase.SUBMITTING, NOW);
          batches.recordSubmitted(c, batchId, "batch_1", "validating", NOW, NOW.plusSeconds(30));
          return null;
        });

    StoredBatch stored = find(batchId);
    assertThat(stored.phase()).isEqualTo(BatchPhase.SUBMITTED);
    assertThat(stored.providerBatchId()).isEqualTo("batch_1");
    assertThat(stored.submittingAt()).isEqualTo(NOW);
    assertThat(stored.lineCount()).isEqualTo(3);
    List<StoredBatch> dueNow = db.inTransaction("poll", c -> batches.dueForPoll(c, NOW));
    List<StoredBatch> dueLater =
        db.inTransaction("poll", c -> batches.dueForPoll(c, NOW.plusSeconds(30)));
    assertThat(dueNow).extracting(StoredBatch::batchId).doesNotContain(batchId);
    assertThat(dueLater).extracting(StoredBatch::batchId).contains(batchId);
  }

  @Test
  void shouldRefuseAMoveThatIsNotInTheTableAndChangeNothing() {
    String batchId = planned();

    assertThatThrownBy(
            () ->
                db.inTransaction(
                    "skip",
                    c -> {
                      batches.move(c, batchId, BatchPhase.PLANNED, BatchPhase.ENDED, NOW);
                      return null;
                    }))
        .isInstanceOf(IllegalBatchTransitionException.class)
        .hasMessageContaining(batchId);
    assertThat(find(batchId).phase()).isEqualTo(BatchPhase.PLANNED);
  }

  @Test
  void shouldRefuseTheSecondOfTwoIdenticalMovesSoThatAStepRunsOnce() {
    String batchId = planned();
    db.inTransaction(
        "first",
        c -> {
          batches.move(c, batchId, BatchPhase.PLANNED, BatchPhase.SUBMITTING, NOW);
          return null;
        });

    assertThatThrownBy(
            () ->
                db.inTransaction(
                    "second",
                    c -> {
                      batches.move(c, batchId, BatchPhase.PLANNED, BatchPhase.SUBMITTING, NOW);
                      return null;
                    }))
        .isInstanceOf(IllegalBatchTransitionException.class);
    assertThat(find(batchId).phase()).isEqualTo(BatchPhase.SUBMITTING);
  }

  @Test
  void shouldNotLetTwoSluiceBatchesAdoptTheSameProviderBatch() {
    String first = planned();
    String second = planned();
    db.inTransaction(
        "adopt first",
        c -> {
          batches.move(c, first, BatchPhase.PLANNED, BatchPhase.SUBMITTING, NOW);
          batches.recordSubmitted(c, first, "batch_same", "adopted", NOW, NOW);
          batches.move(c, second, BatchPhase.PLANNED, BatchPhase.SUBMITTING, NOW);
          return null;
        });

    assertThatThrownBy(
            () ->
                db.inTransaction(
                    "adopt second",
                    c -> {
                      batches.recordSubmitted(c, second, "batch_same", "adopted", NOW, NOW);
                      return null;
                    }))
        .isInstanceOf(StoreUnavailableException.class);
    Set<String> adopted = db.inTransaction("ids", c -> batches.providerBatchIds(c, "openai"));
    assertThat(adopted).contains("batch_same");
    assertThat(find(second).phase()).isEqualTo(BatchPhase.SUBMITTING);
  }
}
