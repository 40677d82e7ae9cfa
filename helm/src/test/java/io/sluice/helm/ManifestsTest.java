package io.sluice.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The parse the chart's tests rely on refuses what Kubernetes would not take. */
class ManifestsTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: sluice-job-api
      spec:
        template:
          spec:
            containers:
              - name: job-api
                %s:
                  httpGet:
                    path: /health/live
                    port: management
      """;

  @Test
  void aWellFormedDeploymentParsesIntoTheTypedModel() {
    Manifests manifests = Manifests.parse(DEPLOYMENT.formatted("livenessProbe"));

    Deployment deployment = manifests.named(Deployment.class, "sluice-job-api");
    assertThat(
            deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getLivenessProbe()
                .getHttpGet()
                .getPath())
        .isEqualTo("/health/live");
  }

  @Test
  void aMisspeltFieldIsRefusedNamingWhereItIs() {
    assertThatThrownBy(() -> Manifests.parse(DEPLOYMENT.formatted("livenesProbe")))
        .hasMessageContaining("containers[0].livenesProbe");
  }

  @Test
  void anObjectOfAKindTheChartDoesNotMakeIsRefused() {
    assertThatThrownBy(
            () -> Manifests.parse("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\n"))
        .hasMessageContaining("batch/v1/CronJob");
  }
}
