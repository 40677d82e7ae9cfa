package io.sluice.helm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A component the chart must deploy, read from the values independently of the templates: its name,
 * the {@code sluice serve} arguments it runs with, and its provider (workers only).
 */
public record Component(String name, List<String> args, String provider) {

  /** The components of the default values merged with {@code valuesFile} (null: defaults only). */
  @SuppressWarnings("unchecked")
  public static List<Component> expected(Path valuesFile) {
    Map<String, Object> values = Chart.readYaml(Chart.DIRECTORY.resolve("values.yaml"));
    if (valuesFile != null) {
      values = ValuesMerge.merge(values, Chart.readYaml(valuesFile));
    }
    List<Component> components = new ArrayList<>();
    components.add(new Component("job-api", List.of("serve", "job-api"), null));
    components.add(new Component("dispatcher", List.of("serve", "dispatcher"), null));
    if (Boolean.TRUE.equals(section(values, "batchSubmitter").get("enabled"))) {
      components.add(new Component("batch-submitter", List.of("serve", "batch-submitter"), null));
    }
    section(values, "providers")
        .forEach(
            (provider, settings) -> {
              Map<String, Object> workers = section((Map<String, Object>) settings, "workers");
              if (Boolean.TRUE.equals(workers.get("enabled"))) {
                components.add(
                    new Component(
                        "workers-" + provider,
                        List.of("serve", "workers", "--provider", provider),
                        provider));
              }
            });
    return components;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> values, String key) {
    return (Map<String, Object>) values.get(key);
  }
}
