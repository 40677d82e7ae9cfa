package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.providers.CompletionResponse;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.workers.Admission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionChainTest {
  private final List<String> settled = new ArrayList<>();
  private final Task task = HeldTasks.task(Lane.STANDARD, "gpt-4o-mini", "hi");

  /** Slots always free; every call answered with {@code decision}. */
  private Admission calls(String name, boolean grant) {
    return new Admission() {
      @Override
      public boolean tryAcquire(Lane lane) {
        return true;
      }

      @Override
      public void release(Lane lane) {}

      @Override
      public Decision admit(Task task) {
        return grant
            ? new Go(recording(name))
            : new Wait(Instant.parse("2026-01-01T00:00:00Z"), name);
      }
    };
  }

  private Admission.Permit recording(String name) {
    return new Admission.Permit() {
      @Override
      public void succeeded(CompletionResponse response) {
        settled.add(name + " succeeded");
      }

      @Override
      public void failed(ProviderException failure) {
        settled.add(name + " failed");
      }

      @Override
      public void notCalled() {
        settled.add(name + " not called");
      }
    };
  }

  @Test
  void shouldBeOpenWithoutLinksAndTheLinkItselfWithOne() {
    Admission only = Admission.upTo(1);

    assertThat(AdmissionChain.of(null, Admission.OPEN)).isSameAs(Admission.OPEN);
    assertThat(AdmissionChain.of(only, null)).isSameAs(only);
  }

  @Test
  void shouldGiveASlotOnlyWhenEveryLinkGivesOneAndReturnTheOthersWhenOneRefuses() {
    ConcurrencyAdmission first = new ConcurrencyAdmission(2);
    ConcurrencyAdmission second = new ConcurrencyAdmission(1);
    Admission chain = AdmissionChain.of(first, second);

    assertThat(chain.tryAcquire(Lane.BULK)).isTrue();
    assertThat(chain.tryAcquire(Lane.BULK)).isFalse();
    assertThat(first.inFlight()).as("given back when the second refused").isEqualTo(1);

    chain.release(Lane.BULK);
    assertThat(first.inFlight()).isZero();
    assertThat(second.inFlight()).isZero();
  }

  @Test
  void shouldWaitWhenALaterLinkWaitsAndReleaseWhatEarlierLinksGranted() {
    Admission chain = AdmissionChain.of(calls("pool", true), calls("limiter", false));

    Admission.Decision decision = chain.admit(task);

    assertThat(decision).isInstanceOf(Admission.Wait.class);
    assertThat(((Admission.Wait) decision).blockedBy()).isEqualTo("limiter");
    assertThat(settled).containsExactly("pool not called");
  }

  @Test
  void shouldSettleEveryLinksPermitWithHowTheCallEnded() {
    Admission chain = AdmissionChain.of(calls("pool", true), calls("limiter", true));

    Admission.Decision decision = chain.admit(task);
    ((Admission.Go) decision).permit().succeeded(null);

    assertThat(settled).containsExactly("pool succeeded", "limiter succeeded");
  }
}
