package io.sluice.workers.internal;

import io.sluice.providers.CompletionResponse;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.workers.Admission;
import java.util.ArrayList;
import java.util.List;

/**
 * Several admissions asked in order as one: a slot or a call is admitted only when every link
 * admits it. What earlier links granted is given back when a later one says no, so nothing stays
 * held or charged for a task that does not go.
 */
final class AdmissionChain implements Admission {
  private final List<Admission> links;

  AdmissionChain(List<Admission> links) {
    this.links = List.copyOf(links);
  }

  static Admission of(Admission... links) {
    List<Admission> real = new ArrayList<>();
    for (Admission link : links) {
      if (link != null && link != Admission.OPEN) {
        real.add(link);
      }
    }
    return real.isEmpty()
        ? Admission.OPEN
        : real.size() == 1 ? real.getFirst() : new AdmissionChain(real);
  }

  @Override
  public boolean tryAcquire(Lane lane) {
    for (int i = 0; i < links.size(); i++) {
      if (!links.get(i).tryAcquire(lane)) {
        links.subList(0, i).forEach(link -> link.release(lane));
        return false;
      }
    }
    return true;
  }

  @Override
  public void release(Lane lane) {
    links.forEach(link -> link.release(lane));
  }

  @Override
  public Decision admit(Task task) {
    List<Permit> granted = new ArrayList<>();
    for (Admission link : links) {
      Decision decision = link.admit(task);
      if (decision instanceof Go go) {
        granted.add(go.permit());
      } else {
        granted.forEach(Permit::notCalled);
        return decision;
      }
    }
    return new Go(new Permits(granted));
  }

  /** The permits of every link, settled together. */
  private record Permits(List<Permit> all) implements Permit {
    @Override
    public void succeeded(CompletionResponse response) {
      all.forEach(permit -> permit.succeeded(response));
    }

    @Override
    public void failed(ProviderException failure) {
      all.forEach(permit -> permit.failed(failure));
    }

    @Override
    public void notCalled() {
      all.forEach(Permit::notCalled);
    }
  }
}
