package io.sluice.launcher.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A reproducible sample workload whose answers are known in advance: reversing, upper-casing and
 * summing, which the simulator computes deterministically. The expected outputs are computed here
 * independently of the simulator, so the demo and the end-to-end tests check real results.
 */
public final class DemoWorkload {
  private static final String[] WORDS = {
    "sluice", "kafka", "lane", "queue", "batch", "token", "limit", "worker", "river", "harbor",
    "meadow", "granite", "lantern", "cobalt", "ember", "willow", "saffron", "quartz"
  };

  private DemoWorkload() {}

  /** {@code count} jobs for {@code models}, the same for the same seed. */
  public static List<DemoJob> generate(int count, List<String> models, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("job count must not be negative, got " + count);
    }
    if (models.isEmpty()) {
      throw new IllegalArgumentException("at least one model is needed");
    }
    Random random = new Random(seed);
    List<DemoJob> jobs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      jobs.add(job(i, random, models.get(i % models.size())));
    }
    return jobs;
  }

  private static DemoJob job(int index, Random random, String model) {
    return switch (index % 3) {
      case 0 -> reverse(random, model);
      case 1 -> uppercase(random, model);
      default -> sum(random, model);
    };
  }

  private static DemoJob reverse(Random random, String model) {
    String text = phrase(random);
    return new DemoJob("reverse: " + text, model, new StringBuilder(text).reverse().toString());
  }

  private static DemoJob uppercase(Random random, String model) {
    String text = phrase(random);
    return new DemoJob("uppercase: " + text, model, text.toUpperCase(Locale.ROOT));
  }

  private static DemoJob sum(Random random, String model) {
    List<Integer> numbers =
        IntStream.range(0, 2 + random.nextInt(5)).mapToObj(i -> random.nextInt(1000)).toList();
    String prompt =
        "sum: " + numbers.stream().map(String::valueOf).collect(Collectors.joining(" "));
    long total = numbers.stream().mapToLong(Integer::longValue).sum();
    return new DemoJob(prompt, model, Long.toString(total));
  }

  private static String phrase(Random random) {
    return IntStream.range(0, 2 + random.nextInt(4))
        .mapToObj(i -> WORDS[random.nextInt(WORDS.length)])
        .collect(Collectors.joining(" "));
  }
}
