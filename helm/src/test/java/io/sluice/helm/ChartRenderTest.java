package io.sluice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chart rendered by a real Helm with the default values and with the production-like values,
 * every manifest parsed into the Kubernetes model, and what each component needs checked on the
 * objects.
 */
class ChartRenderTest {
  private static final String PREFIX = Chart.RELEASE + "-";

  static Stream<Arguments> valuesFiles() {
    return Stream.of(
        Arguments.of("default", null), Arguments.of("production", Chart.PRODUCTION_VALUES));
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valuesFiles")
  void everyManifestIsAKubernetesObjectOfAKnownKindWithTheChartsLabels(String name, Path values)
      throws Exception {
    Manifests manifests = Chart.render(values);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "rendered-" + name + ".yaml"), manifests.text());

    assertThat(manifests.all()).isNotEmpty();
    for (HasMetadata object : manifests.all()) {
      assertThat(object.getMetadata().getName()).startsWith(PREFIX.replace("-", ""));
      assertThat(object.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/part-of", "sluice")
          .containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
    }
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valuesFiles")
  void eachComponentHasADeploymentRunningServeWithItsComponent(String name, Path values) {
    Manifests manifests = Chart.render(values);

    for (Component component : Component.expected(values)) {
      Deployment deployment = manifests.named(Deployment.class, PREFIX + component.name());
      assertThat(container(deployment).getArgs()).isEqualTo(component.args());
      assertThat(container(deployment).getImage()).isNotBlank();
    }
    assertThat(manifests.all(Deployment.class))
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(
            Component.expected(values).stream().map(c -> PREFIX + c.name()).toList());
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valuesFiles")
  void probesAskTheHealthEndpointsOnTheManagementPortTheComponentIsToldToServe(
      String name, Path values) {
    Manifests manifests = Chart.render(values);

    for (Deployment deployment : manifests.all(Deployment.class)) {
      Container container = container(deployment);
      ContainerPort management = port(container, "management");
      assertThat(management.getContainerPort()).isEqualTo(9090);
      assertThat(PodEnvironment.of(manifests, deployment))
          .containsEntry("SLUICE_MANAGEMENT_PORT", "9090");
      assertProbe(container.getLivenessProbe(), "/health/live");
      assertProbe(container.getReadinessProbe(), "/health/ready");
      assertProbe(container.getStartupProbe(), "/health/live");
      assertThat(container.getResources().getLimits()).containsKey("memory");
      assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    }
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valuesFiles")
  void eachWorkersDeploymentIsScaledByAScaledObjectOnItsProvidersSignal(String name, Path values) {
    Manifests manifests = Chart.render(values);
    List<GenericKubernetesResource> scaledObjects = manifests.custom("ScaledObject");

    List<String> targets = new ArrayList<>();
    for (Component workers : Component.expected(values)) {
      if (workers.provider() == null) {
        continue;
      }
      String deployment = PREFIX + workers.name();
      GenericKubernetesResource scaledObject =
          scaledObjects.stream()
              .filter(s -> deployment.equals(at(s, "spec", "scaleTargetRef", "name")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ScaledObject targets " + deployment));
      targets.add(deployment);
      assertThat(scaledObject.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
      assertThat(at(scaledObject, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
      Map<String, Object> trigger = trigger(scaledObject);
      assertThat(trigger).containsEntry("type", "prometheus");
      Map<?, ?> metadata = (Map<?, ?>) trigger.get("metadata");
      assertThat((String) metadata.get("query"))
          .contains("sluice_workers_desired")
          .contains("provider=\"" + workers.provider() + "\"");
      assertThat((String) metadata.get("serverAddress")).startsWith("http://");
      assertThat(metadata.get("threshold")).isEqualTo("1");
      assertThat(manifests.named(Deployment.class, deployment).getSpec().getReplicas())
          .as("KEDA owns the replica count of " + deployment)
          .isNull();
    }
    assertThat(scaledObjects).hasSameSizeAs(targets);
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valuesFiles")
  void servicesAndDisruptionBudgetsSelectTheirComponentsPods(String name, Path values) {
    Manifests manifests = Chart.render(values);

    for (Deployment deployment : manifests.all(Deployment.class)) {
      String component = deployment.getMetadata().getName();
      Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
      Service service = manifests.named(Service.class, component);
      assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
      assertThat(podLabels)
          .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
      ServicePort management = servicePort(service, "management");
      assertThat(management.getTargetPort().getStrVal()).isEqualTo("management");
      PodDisruptionBudget budget = manifests.named(PodDisruptionBudget.class, component);
      assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
      assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }
    Service api = manifests.named(Service.class, PREFIX + "job-api");
    assertThat(servicePort(api, "http").getPort()).isEqualTo(8080);
    assertThat(servicePort(api, "http").getTargetPort().getStrVal()).isEqualTo("http");
    assertThat(
            port(container(manifests.named(Deployment.class, PREFIX + "job-api")), "http")
                .getContainerPort())
        .isEqualTo(8080);
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valuesFiles")
  void theServiceMonitorScrapesMetricsFromEveryComponentsService(String name, Path values) {
    Manifests manifests = Chart.render(values);
    GenericKubernetesResource monitor = manifests.custom("ServiceMonitor").getFirst();

    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    Map<?, ?> selector = (Map<?, ?>) at(monitor, "spec", "selector", "matchLabels");
    List<?> endpoints = (List<?>) at(monitor, "spec", "endpoints");
    Map<?, ?> endpoint = (Map<?, ?>) endpoints.getFirst();
    assertThat(endpoint.get("port")).isEqualTo("management");
    assertThat(endpoint.get("path")).isEqualTo("/metrics");
    for (Deployment deployment : manifests.all(Deployment.class)) {
      Service service = manifests.named(Service.class, deployment.getMetadata().getName());
      assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(stringMap(selector));
    }
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valuesFiles")
  void thePrometheusRuleHasTheOperatorsAlerts(String name, Path values) {
    Manifests manifests = Chart.render(values);
    GenericKubernetesResource rule = manifests.custom("PrometheusRule").getFirst();

    List<?> groups = (List<?>) at(rule, "spec", "groups");
    Map<String, String> expressions = new java.util.LinkedHashMap<>();
    for (Object group : groups) {
      for (Object alert : (List<?>) ((Map<?, ?>) group).get("rules")) {
        Map<?, ?> entry = (Map<?, ?>) alert;
        assertThat(entry.get("annotations")).isNotNull();
        expressions.put((String) entry.get("alert"), (String) entry.get("expr"));
      }
    }
    assertThat(expressions)
        .containsKeys(
            "SluiceLaneBacklogOld",
            "SluiceProviderRateLimited",
            "SluiceOutboxBacklog",
            "SluiceWebhookDeliveriesFailing",
            "SluiceComponentNotReady");
    assertThat(expressions.get("SluiceLaneBacklogOld"))
        .contains("sluice_lane_oldest_task_age_seconds");
    assertThat(expressions.get("SluiceProviderRateLimited"))
        .contains("sluice_provider_calls_total")
        .contains("outcome=\"rate_limited\"")
        .endsWith("> 0");
    assertThat(expressions.get("SluiceOutboxBacklog")).contains("sluice_outbox_backlog");
    assertThat(expressions.get("SluiceWebhookDeliveriesFailing"))
        .contains("sluice_webhook_deliveries_failed_total");
    assertThat(expressions.values()).allSatisfy(e -> assertThat(e).doesNotContain("{{"));
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valuesFiles")
  void theGrafanaDashboardIsJsonWithAQueryInEveryPanel(String name, Path values) {
    Manifests manifests = Chart.render(values);
    ConfigMap dashboard = manifests.named(ConfigMap.class, PREFIX + "dashboard");

    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    JsonNode json = JsonMapper.builder().build().readTree(dashboard.getData().get("sluice.json"));
    assertThat(json.get("title").asString()).isEqualTo("Sluice");
    assertThat(json.get("panels").size()).isGreaterThanOrEqualTo(8);
    StringBuilder queries = new StringBuilder();
    for (JsonNode panel : json.get("panels")) {
      assertThat(panel.get("targets").size()).as(panel.get("title").asString()).isPositive();
      for (JsonNode target : panel.get("targets")) {
        assertThat(target.get("expr").asString()).isNotBlank();
        queries.append(target.get("expr").asString()).append('\n');
      }
    }
    assertThat(queries.toString())
        .contains(
            "sluice_workers_desired",
            "sluice_lane_backlog",
            "sluice_lane_oldest_task_age_seconds",
            "sluice_provider_calls_total",
            "sluice_outbox_backlog",
            "sluice_webhook_deliveries_failed_total");
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
  }

  static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.getFirst();
  }

  private static ContainerPort port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no port " + name));
  }

  private static ServicePort servicePort(Service service, String name) {
    return service.getSpec().getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(service.getMetadata().getName() + " has no port " + name));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> trigger(GenericKubernetesResource scaledObject) {
    List<?> triggers = (List<?>) at(scaledObject, "spec", "triggers");
    assertThat(triggers).hasSize(1);
    return (Map<String, Object>) triggers.getFirst();
  }

  static Object at(GenericKubernetesResource resource, String... path) {
    Object value = resource.getAdditionalProperties();
    for (String key : path) {
      value = ((Map<?, ?>) value).get(key);
    }
    return value;
  }

  private static Map<String, String> stringMap(Map<?, ?> map) {
    Map<String, String> strings = new java.util.HashMap<>();
    map.forEach((k, v) -> strings.put(String.valueOf(k), String.valueOf(v)));
    return strings;
  }
}
