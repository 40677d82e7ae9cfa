package io.sluice.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a Deployment's container would see, resolved from the rendered manifests:
 * ConfigMaps by {@code envFrom}, literal values, and Secret keys. A key of a Secret the chart does
 * not make (an existing Secret) gets a stand-in value of the right form.
 */
public final class PodEnvironment {
  /** What a Secret made outside the chart is assumed to hold for a key. */
  public static final String EXTERNAL_SECRET_VALUE = "from-an-existing-secret";

  /** The webhook key of an existing Secret: the base64 of 32 bytes, as job-api requires. */
  public static final String EXTERNAL_WEBHOOK_KEY =
      Base64.getEncoder().encodeToString(new byte[32]);

  private PodEnvironment() {}

  public static Map<String, String> of(Manifests manifests, Deployment deployment) {
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    Map<String, String> variables = new HashMap<>();
    for (EnvFromSource source : container.getEnvFrom()) {
      String name = source.getConfigMapRef().getName();
      variables.putAll(manifests.named(ConfigMap.class, name).getData());
    }
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValueFrom() == null) {
        variables.put(variable.getName(), variable.getValue());
      } else {
        secretValue(manifests, variable)
            .ifPresent(value -> variables.put(variable.getName(), value));
      }
    }
    return variables;
  }

  private static Optional<String> secretValue(Manifests manifests, EnvVar variable) {
    SecretKeySelector selector = variable.getValueFrom().getSecretKeyRef();
    if (selector == null) {
      throw new AssertionError(variable.getName() + " is set from neither a value nor a Secret");
    }
    Optional<Secret> secret = manifests.find(Secret.class, selector.getName());
    if (secret.isEmpty()) {
      return Optional.of(
          variable.getName().equals("SLUICE_WEBHOOK_SECRET_KEY")
              ? EXTERNAL_WEBHOOK_KEY
              : EXTERNAL_SECRET_VALUE);
    }
    String encoded = secret.get().getData().get(selector.getKey());
    if (encoded == null) {
      if (Boolean.TRUE.equals(selector.getOptional())) {
        return Optional.empty();
      }
      throw new AssertionError(
          variable.getName()
              + " needs key "
              + selector.getKey()
              + " of Secret "
              + selector.getName()
              + ", which the chart does not put there");
    }
    return Optional.of(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
  }
}
