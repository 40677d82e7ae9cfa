package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.sluice.batch.BatchSubmitterSettings;
import io.sluice.dispatcher.DispatcherSettings;
import io.sluice.helm.Chart;
import io.sluice.helm.Component;
import io.sluice.helm.Manifests;
import io.sluice.helm.PodEnvironment;
import io.sluice.jobapi.JobApiSettings;
import io.sluice.launcher.limits.RateLimitSpec;
import io.sluice.providers.ProviderConfig;
import io.sluice.workers.WorkerSettings;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The environment the chart gives each component is one {@code sluice serve} starts with: every
 * Deployment's variables (ConfigMap, Secret) are resolved and read by the same {@link ServeCommand}
 * methods the component runs, which fail naming any variable missing or malformed. (In this package
 * for those package-private readers.)
 */
class ChartEnvironmentTest {
  private static final String WEBHOOK_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  /**
   * The secrets an operator passes with the default values (--set), as those hold none; the
   * production values take them from existing Secrets.
   */
  private static final Map<String, Object> DEFAULT_SECRETS =
      Map.of(
          "secrets.jdbcPassword", "db-password",
          "secrets.webhookSecretKey", WEBHOOK_KEY,
          "providers.openai.apiKey", "sk-openai",
          "providers.anthropic.apiKey", "sk-ant",
          "providers.gemini.apiKey", "gemini-key");

  static Stream<Arguments> installs() {
    return Stream.of(
        Arguments.of("default", null, DEFAULT_SECRETS),
        Arguments.of("production", Chart.PRODUCTION_VALUES, Map.of()));
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("installs")
  void jobApiStartsWithItsEnvironment(String name, Path values, Map<String, Object> secrets) {
    Manifests manifests = Chart.render(values, secrets);
    Map<String, String> env = environment(manifests, "job-api");

    JobApiSettings settings = ServeCommand.jobApiSettings(new Environment(env));

    assertThat(settings.httpPort()).isEqualTo(8080);
    assertThat(settings.jdbcUrl()).startsWith("jdbc:postgresql://");
    assertThat(settings.dbPassword()).isNotBlank();
    assertThat(settings.webhooks().enabled()).isTrue();
    assertThat(env).containsKeys("SLUICE_KAFKA_BOOTSTRAP", "SLUICE_MANAGEMENT_PORT");
    assertThat(env.keySet()).noneMatch(v -> v.startsWith("SLUICE_PROVIDER_"));
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("installs")
  void dispatcherStartsWithItsEnvironmentAndAWritableStateDirectory(
      String name, Path values, Map<String, Object> secrets) {
    Manifests manifests = Chart.render(values, secrets);
    Deployment deployment = deployment(manifests, "dispatcher");
    Map<String, String> env = PodEnvironment.of(manifests, deployment);

    DispatcherSettings settings = ServeCommand.dispatcherSettings(new Environment(env));

    assertThat(settings.stateDir()).isEqualTo(Path.of("/var/lib/sluice/dispatcher"));
    assertThat(mounts(deployment)).contains("/var/lib/sluice", "/tmp");
    assertThat(env.keySet())
        .noneMatch(v -> v.startsWith("SLUICE_PROVIDER_") || v.startsWith("SLUICE_JDBC_"));
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("installs")
  void batchSubmitterServesEveryProviderWithABatchApi(
      String name, Path values, Map<String, Object> secrets) {
    Manifests manifests = Chart.render(values, secrets);
    Map<String, String> env = environment(manifests, "batch-submitter");

    BatchSubmitterSettings settings = ServeCommand.batchSubmitterSettings(new Environment(env));

    assertThat(settings.providers())
        .extracting(ProviderConfig::name)
        .containsExactly("anthropic", "openai");
    assertThat(settings.jdbc().password()).isNotBlank();
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("installs")
  void eachWorkersDeploymentHasItsProvidersAccountAndNoOther(
      String name, Path values, Map<String, Object> secrets) {
    Manifests manifests = Chart.render(values, secrets);

    List<Component> workers =
        Component.expected(values).stream().filter(c -> c.provider() != null).toList();
    assertThat(workers).isNotEmpty();
    for (Component component : workers) {
      String provider = component.provider();
      Map<String, String> env = environment(manifests, component.name());
      Environment environment = new Environment(env);

      ProviderConfig config = ServeCommand.providerConfig(environment, provider);

      assertThat(config.name()).isEqualTo(provider);
      assertThat(config.kind().configName()).isEqualTo(provider);
      assertThat(environment.required("SLUICE_KAFKA_BOOTSTRAP")).isNotBlank();
      WorkerSettings.Builder pool = ServeCommand.workerSettings(environment, provider);
      String prefix = "SLUICE_PROVIDER_" + provider.toUpperCase() + "_";
      assertThat(env.keySet())
          .filteredOn(v -> v.startsWith("SLUICE_PROVIDER_"))
          .allMatch(v -> v.startsWith(prefix));
      String limits = env.get("SLUICE_RATE_LIMITS");
      if (limits != null) {
        assertThat(RateLimitSpec.parse(limits)).isNotEmpty();
        assertThat(env).containsKeys("SLUICE_JDBC_URL", "SLUICE_JDBC_PASSWORD");
      }
      environment.check();
      WorkerSettings settings = pool.build();
      assertThat(settings.provider()).isEqualTo(provider);
      assertThat(settings.concurrency()).isEqualTo(name.equals("production") ? 32 : 16);
    }
  }

  private static Map<String, String> environment(Manifests manifests, String component) {
    return PodEnvironment.of(manifests, deployment(manifests, component));
  }

  private static Deployment deployment(Manifests manifests, String component) {
    return manifests.named(Deployment.class, Chart.RELEASE + "-" + component);
  }

  private static List<String> mounts(Deployment deployment) {
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    return container.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList();
  }
}
