package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
  @Test
  void shouldResolveModelsAndAliasesToTheirProvider() {
    ModelCatalog catalog = ModelCatalog.defaults();

    assertThat(catalog.resolve("gpt-4o-mini"))
        .contains(new ModelRoute("gpt-4o-mini", "openai", "gpt-4o-mini"));
    assertThat(catalog.resolve("fast")).contains(new ModelRoute("fast", "openai", "gpt-4o-mini"));
    assertThat(catalog.resolve("claude-sonnet-4-5").map(ModelRoute::provider))
        .contains("anthropic");
    assertThat(catalog.providers()).containsExactlyInAnyOrder("openai", "anthropic");
  }

  @Test
  void shouldNotKnowUnconfiguredModels() {
    assertThat(ModelCatalog.defaults().resolve("gpt-9")).isEmpty();
    assertThat(ModelCatalog.defaults().resolve(null)).isEmpty();
  }

  @Test
  void shouldRefuseAnAliasOfAnUnknownModelAndDuplicates() {
    assertThatThrownBy(() -> ModelCatalog.builder().alias("fast", "gpt-9"))
        .hasMessageContaining("gpt-9");
    assertThatThrownBy(() -> ModelCatalog.builder().model("m", "openai").model("m", "openai"))
        .hasMessageContaining("twice");
  }
}
