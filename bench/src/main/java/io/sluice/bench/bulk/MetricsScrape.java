package io.sluice.bench.bulk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Reads one figure from a Prometheus text page: the sum of a series over the labels asked. */
public final class MetricsScrape {
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI metrics;

  public MetricsScrape(URI metrics) {
    this.metrics = metrics;
  }

  /** The sum of {@code name}'s samples whose label text passes {@code labels}; 0 when none. */
  public double sum(String name, Predicate<String> labels) {
    double sum = 0;
    for (String line : page().split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        int space = line.lastIndexOf(' ');
        String labelText = line.substring(name.length(), space);
        if (labels.test(labelText)) {
          sum += Double.parseDouble(line.substring(space + 1));
        }
      }
    }
    return sum;
  }

  private String page() {
    try {
      return http.send(
              HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scrape " + metrics, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
