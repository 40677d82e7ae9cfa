package io.sluice.jobapi.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  private final ApiKeys keys = new ApiKeys(new SecureRandom());

  @Test
  void shouldGenerateDistinctHighEntropyKeys() {
    Set<String> generated = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      generated.add(keys.generate());
    }

    assertThat(generated)
        .hasSize(500)
        .allMatch(key -> key.matches("sk_sluice_[A-Za-z0-9_-]{43}"))
        .allSatisfy(ApiKeys::requireWellFormed);
  }

  @Test
  void shouldHashToSha256HexThatDoesNotContainTheKey() {
    String key = keys.generate();

    assertThat(ApiKeys.hash(key)).matches("[0-9a-f]{64}").isEqualTo(ApiKeys.hash(key));
    assertThat(ApiKeys.hash(key)).doesNotContain(key.substring(10));
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void shouldShowOnlyAShortPrefix() {
    String key = keys.generate();

    assertThat(ApiKeys.displayPrefix(key)).hasSize(14).startsWith("sk_sluice_");
    assertThat(ApiKeys.displayPrefix("x".repeat(24))).hasSize(8);
  }

  @Test
  void shouldRejectShortOrSpacedKeysWithoutEchoingThem() {
    assertThatThrownBy(() -> ApiKeys.requireWellFormed("secret-short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret-short");
    assertThatThrownBy(() -> ApiKeys.requireWellFormed("a key with spaces in it, long enough"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without spaces");
    assertThatThrownBy(() -> ApiKeys.requireWellFormed(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
