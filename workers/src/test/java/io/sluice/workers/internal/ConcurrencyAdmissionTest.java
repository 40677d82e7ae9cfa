package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.task.Lane;
import io.sluice.workers.Admission;
import org.junit.jupiter.api.Test;

class ConcurrencyAdmissionTest {
  @Test
  void shouldAdmitUpToTheLimitAcrossLanesAndAgainAfterARelease() {
    Admission admission = Admission.upTo(2);

    assertThat(admission.tryAcquire(Lane.INTERACTIVE)).isTrue();
    assertThat(admission.tryAcquire(Lane.BULK)).isTrue();
    assertThat(admission.tryAcquire(Lane.STANDARD)).isFalse();

    admission.release(Lane.BULK);

    assertThat(admission.tryAcquire(Lane.STANDARD)).isTrue();
  }
}
