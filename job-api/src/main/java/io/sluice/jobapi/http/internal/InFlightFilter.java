package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.sluice.jobapi.http.InFlightRequests;
import io.sluice.jobapi.http.JobApiBeans;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Counts every request in {@link InFlightRequests} until its response is done, however it ends;
 * once a stop has begun, answers a new request {@code 503} with {@code Connection: close} at once,
 * touching nothing else.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class InFlightFilter implements HttpServerFilter {
  private final InFlightRequests inFlight;

  public InFlightFilter(InFlightRequests inFlight) {
    this.inFlight = inFlight;
  }

  @Override
  public Publisher<MutableHttpResponse<?>> doFilter(
      HttpRequest<?> request, ServerFilterChain chain) {
    if (!inFlight.tryEnter()) {
      return Flux.just(
          HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
              .header(HttpHeaders.CONNECTION, "close"));
    }
    return Flux.from(chain.proceed(request)).doFinally(signal -> inFlight.exit());
  }

  @Override
  public int getOrder() {
    // first in, last out: the count covers the other filters too
    return HIGHEST_PRECEDENCE;
  }
}
