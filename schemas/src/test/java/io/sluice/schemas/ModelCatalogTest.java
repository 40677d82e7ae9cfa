package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.model.CatalogModel;
import io.sluice.schemas.model.LimitStyle;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import io.sluice.schemas.model.ProviderRegistration;
import io.sluice.schemas.model.ProviderRegistry;
import io.sluice.schemas.model.RateLimitHeaderDialect;
import java.net.URI;
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
    assertThat(catalog.resolve("gemini-flash"))
        .contains(new ModelRoute("gemini-flash", "gemini", "gemini-2.5-flash"));
    assertThat(catalog.providers()).containsExactlyInAnyOrder("openai", "anthropic", "gemini");
  }

  @Test
  void shouldReadEachProviderRegistrationFromItsOneResource() {
    ProviderRegistration gemini = ProviderRegistry.named("gemini").orElseThrow();

    assertThat(ProviderRegistry.all())
        .extracting(ProviderRegistration::name)
        .containsExactly("openai", "anthropic", "gemini");
    assertThat(gemini.defaultBaseUrl())
        .isEqualTo(URI.create("https://generativelanguage.googleapis.com"));
    assertThat(gemini.authHeader()).isEqualTo("x-goog-api-key");
    assertThat(gemini.rateLimitHeaders()).isEqualTo(RateLimitHeaderDialect.NONE);
    assertThat(gemini.limitStyle()).isEqualTo(LimitStyle.REQUESTS_AND_INPUT_TOKENS);
    assertThat(gemini.batch()).isFalse();
    assertThat(gemini.models())
        .extracting(CatalogModel::name)
        .containsExactly("gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash");
    assertThat(ProviderRegistry.named("anthropic").orElseThrow().limitStyle())
        .isEqualTo(LimitStyle.REQUESTS_INPUT_AND_OUTPUT_TOKENS);
    assertThat(ProviderRegistry.named("vllm")).isEmpty();
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
