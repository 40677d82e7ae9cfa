package io.sluice.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each optional part of the chart goes away when its value turns it off, and only it. */
class ChartTogglesTest {
  private static final String PREFIX = Chart.RELEASE + "-";

  @Test
  void withoutKedaNoScaledObjectIsMadeAndWorkersGetTheirReplicaCount() {
    Manifests manifests = Chart.render(null, Map.of("keda.enabled", false));

    assertThat(manifests.custom("ScaledObject")).isEmpty();
    Deployment workers = manifests.named(Deployment.class, PREFIX + "workers-openai");
    assertThat(workers.getSpec().getReplicas()).isEqualTo(1);
    assertThat(manifests.custom("ServiceMonitor")).hasSize(1);
  }

  @Test
  void theMonitoringObjectsAndTheDashboardEachHaveTheirOwnSwitch() {
    Manifests all = Chart.render(null);
    Manifests none =
        Chart.render(
            null,
            Map.of(
                "serviceMonitor.enabled", false,
                "prometheusRule.enabled", false,
                "grafanaDashboard.enabled", false,
                "podDisruptionBudget.enabled", false));

    assertThat(all.custom("ServiceMonitor")).hasSize(1);
    assertThat(all.custom("PrometheusRule")).hasSize(1);
    assertThat(all.find(ConfigMap.class, PREFIX + "dashboard")).isPresent();
    assertThat(all.all(PodDisruptionBudget.class)).hasSize(6);
    assertThat(none.custom("ServiceMonitor")).isEmpty();
    assertThat(none.custom("PrometheusRule")).isEmpty();
    assertThat(none.find(ConfigMap.class, PREFIX + "dashboard")).isEmpty();
    assertThat(none.all(PodDisruptionBudget.class)).isEmpty();
    assertThat(none.all(Deployment.class)).hasSameSizeAs(all.all(Deployment.class));
    assertThat(none.custom("ScaledObject")).hasSize(3);
  }

  @Test
  void aProviderWhoseWorkersAreOffHasNoDeploymentServiceBudgetOrScaledObject() {
    Manifests manifests = Chart.render(null, Map.of("providers.gemini.workers.enabled", false));

    String gemini = PREFIX + "workers-gemini";
    assertThat(manifests.all())
        .extracting(HasMetadata::getMetadata)
        .noneMatch(metadata -> metadata.getName().equals(gemini));
    assertThat(manifests.find(Deployment.class, PREFIX + "workers-openai")).isPresent();
  }

  @Test
  void withoutTheBatchSubmitterNoneOfItsObjectsIsMade() {
    Manifests manifests = Chart.render(null, Map.of("batchSubmitter.enabled", false));

    assertThat(manifests.all())
        .extracting(o -> o.getMetadata().getName())
        .doesNotContain(PREFIX + "batch-submitter");
    assertThat(manifests.all(Deployment.class)).hasSize(5);
  }

  @Test
  void theBatchSubmitterNeedsAProviderWithABatchApi() {
    assertThatThrownBy(
            () ->
                Chart.render(
                    null,
                    Map.of(
                        "providers.openai.kind", "gemini", "providers.anthropic.kind", "gemini")))
        .hasMessageContaining(
            "batchSubmitter.enabled needs a provider of kind openai or anthropic");
  }

  @Test
  void renderingWithoutAKafkaBootstrapFailsNamingTheValue() {
    assertThatThrownBy(() -> Chart.render(null, Map.of("kafka.bootstrap", "")))
        .hasMessageContaining("kafka.bootstrap is required");
  }

  @Test
  void anExistingSecretReplacesTheChartsSecret() {
    Manifests manifests =
        Chart.render(
            null,
            Map.of(
                "secrets.existingSecret", "sluice-credentials",
                "postgres.existingSecret", "sluice-db-app"));

    assertThat(manifests.all(Secret.class)).isEmpty();
    Deployment api = manifests.named(Deployment.class, PREFIX + "job-api");
    assertThat(ChartRenderTest.container(api).getEnv())
        .filteredOn(e -> e.getValueFrom() != null)
        .extracting(e -> e.getValueFrom().getSecretKeyRef().getName())
        .containsOnly("sluice-credentials", "sluice-db-app");
    Deployment workers = manifests.named(Deployment.class, PREFIX + "workers-openai");
    assertThat(ChartRenderTest.container(workers).getEnv())
        .filteredOn(e -> e.getName().equals("SLUICE_PROVIDER_OPENAI_API_KEY"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("sluice-credentials"));
  }
}
