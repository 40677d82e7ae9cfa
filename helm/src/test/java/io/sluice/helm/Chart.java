package io.sluice.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The chart at {@code helm/sluice}, rendered and linted by a real Helm (helm-java's bundled native
 * library), as {@code helm template} and {@code helm lint} would.
 */
public final class Chart {
  public static final Path DIRECTORY = Path.of("sluice").toAbsolutePath();
  public static final Path PRODUCTION_VALUES = Path.of("values-production.yaml").toAbsolutePath();
  public static final String RELEASE = "sluice";
  public static final String NAMESPACE = "sluice";

  private Chart() {}

  /** {@code helm template sluice helm/sluice [-f valuesFile] [--set key=value ...]}. */
  public static Manifests render(Path valuesFile, Map<String, Object> overrides) {
    TemplateCommand template =
        new Helm(DIRECTORY).template().withName(RELEASE).withNamespace(NAMESPACE);
    if (valuesFile != null) {
      template.withValuesFile(valuesFile);
    }
    overrides.forEach(template::set);
    return Manifests.parse(template.call());
  }

  public static Manifests render(Path valuesFile) {
    return render(valuesFile, Map.of());
  }

  /**
   * {@code helm lint --strict} of the chart with {@code valuesFile} over its defaults. helm-java's
   * lint takes no values file, so a copy of the chart whose values.yaml is the merge is linted.
   */
  public static LintResult lint(Path chart, Path valuesFile) {
    if (valuesFile == null) {
      return new Helm(chart).lint().strict().call();
    }
    Path copy = copyOf(chart);
    Map<String, Object> merged =
        ValuesMerge.merge(readYaml(copy.resolve("values.yaml")), readYaml(valuesFile));
    write(copy.resolve("values.yaml"), new Yaml().dump(merged));
    return new Helm(copy).lint().strict().call();
  }

  /** A copy of {@code chart} in a new temporary directory (named like the chart, as Helm wants). */
  public static Path copyOf(Path chart) {
    try {
      Path target = Files.createTempDirectory("sluice-chart").resolve(chart.getFileName());
      try (Stream<Path> files = Files.walk(chart)) {
        for (Path source : files.toList()) {
          Files.copy(source, target.resolve(chart.relativize(source).toString()));
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Map<String, Object> readYaml(Path file) {
    try {
      Map<String, Object> values = yaml().load(Files.readString(file));
      return values == null ? new LinkedHashMap<>() : values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  /** Both values files the chart is tested with: the defaults and the production-like overlay. */
  public static List<Path> valuesFiles() {
    return java.util.Arrays.asList(null, PRODUCTION_VALUES);
  }
}
