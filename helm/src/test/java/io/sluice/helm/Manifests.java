package io.sluice.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The manifests {@code helm template} printed, each parsed into the fabric8 Kubernetes model: a
 * typed object for the built-in kinds (failing on a field the kind does not have), a generic
 * resource for the custom ones (KEDA, Prometheus Operator).
 */
public final class Manifests {
  /** The built-in kinds the chart makes, by apiVersion/kind. */
  static final Map<String, Class<? extends HasMetadata>> TYPED =
      Map.of(
          "apps/v1/Deployment", Deployment.class,
          "v1/Service", Service.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Secret", Secret.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

  /** The custom resources the chart makes, by apiVersion/kind. */
  static final List<String> CUSTOM =
      List.of(
          "keda.sh/v1alpha1/ScaledObject",
          "monitoring.coreos.com/v1/ServiceMonitor",
          "monitoring.coreos.com/v1/PrometheusRule");

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final String text;
  private final List<HasMetadata> objects;

  private Manifests(String text, List<HasMetadata> objects) {
    this.text = text;
    this.objects = objects;
  }

  public static Manifests parse(String rendered) {
    List<HasMetadata> objects = new ArrayList<>();
    for (Object document : Chart.yaml().loadAll(rendered)) {
      if (document != null) {
        objects.add(toObject((Map<?, ?>) document));
      }
    }
    return new Manifests(rendered, objects);
  }

  private static HasMetadata toObject(Map<?, ?> document) {
    String type = document.get("apiVersion") + "/" + document.get("kind");
    Class<? extends HasMetadata> typed = TYPED.get(type);
    if (typed != null) {
      HasMetadata object = MAPPER.convertValue(document, typed);
      UnknownFields.check(object, type);
      return object;
    }
    if (CUSTOM.contains(type)) {
      return MAPPER.convertValue(document, GenericKubernetesResource.class);
    }
    throw new AssertionError("the chart rendered an object of an unexpected kind: " + type);
  }

  /** The manifests as Helm printed them. */
  public String text() {
    return text;
  }

  public List<HasMetadata> all() {
    return objects;
  }

  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public <T extends HasMetadata> T named(Class<T> type, String name) {
    return find(type, name)
        .orElseThrow(() -> new NoSuchElementException(type.getSimpleName() + " " + name));
  }

  public <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream()
        .filter(o -> Objects.equals(o.getMetadata().getName(), name))
        .findFirst();
  }

  public List<GenericKubernetesResource> custom(String kind) {
    return all(GenericKubernetesResource.class).stream()
        .filter(o -> o.getKind().equals(kind))
        .toList();
  }
}
