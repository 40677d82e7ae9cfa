package io.sluice.batch.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BatchIdsTest {
  private static final Pattern ANTHROPIC_CUSTOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  @Test
  void shouldMakeCustomIdsThatAnthropicAcceptsEvenForTheLargestItemId() {
    String customId = BatchIds.customId(BatchIds.newBatchId(), Long.MAX_VALUE);

    assertThat(customId).matches(ANTHROPIC_CUSTOM_ID);
  }

  @Test
  void shouldRecogniseTheLinesOfItsOwnBatchOnly() {
    String mine = BatchIds.newBatchId();
    String other = BatchIds.newBatchId();

    assertThat(BatchIds.belongsTo(BatchIds.customId(mine, 7), mine)).isTrue();
    assertThat(BatchIds.belongsTo(BatchIds.customId(other, 7), mine)).isFalse();
    assertThat(BatchIds.belongsTo("task-7", mine)).isFalse();
    assertThat(BatchIds.belongsTo(null, mine)).isFalse();
  }

  @Test
  void shouldMakeADifferentBatchIdEachTime() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(BatchIds.newBatchId());
    }
    assertThat(ids).hasSize(1000);
  }

  @Test
  void shouldRefuseSomethingThatIsNotABatchId() {
    assertThatThrownBy(() -> BatchIds.customId("job.1", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("job.1");
  }
}
