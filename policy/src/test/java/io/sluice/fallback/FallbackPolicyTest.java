package io.sluice.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.FailureScope;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FallbackPolicyTest {
  private static final ModelCatalog CATALOG = ModelCatalog.defaults();
  private static final FallbackChains DEPLOYMENT =
      FallbackChains.parse("gpt-4o-mini=claude-haiku-4-5,gemini-2.0-flash; smart=gpt-4o", CATALOG);
  private static final FallbackPolicy POLICY =
      new FallbackPolicy(
          CATALOG,
          DEPLOYMENT,
          Map.of(
              "gpt-4o-mini",
              128_000L,
              "claude-haiku-4-5",
              200_000L,
              "gemini-2.0-flash",
              1_000_000L,
              "gpt-4o",
              128_000L));

  private static ModelRoute route(String name) {
    return CATALOG.resolve(name).orElseThrow();
  }

  private static List<String> models(List<ModelRoute> chain) {
    return chain.stream().map(r -> r.provider() + "/" + r.providerModel()).toList();
  }

  private static ErrorInfo failure(FailureScope scope) {
    return ErrorInfo.permanent("x", "failed").withScope(scope);
  }

  private static final List<ModelRoute> CHAIN =
      POLICY.chainOf("gpt-4o-mini", route("gpt-4o-mini"), null);

  @Test
  void shouldTakeTheDeploymentChainOfTheModelAfterTheModelItself() {
    assertThat(models(CHAIN))
        .containsExactly(
            "openai/gpt-4o-mini", "anthropic/claude-haiku-4-5", "gemini/gemini-2.0-flash");
  }

  @Test
  void shouldTakeTheDeploymentChainOfAnAliasOrOfTheModelItResolvesTo() {
    assertThat(models(POLICY.chainOf("smart", route("smart"), null)))
        .containsExactly("anthropic/claude-sonnet-4-5", "openai/gpt-4o");
    assertThat(models(POLICY.chainOf("fast", route("fast"), null)))
        .containsExactly(
            "openai/gpt-4o-mini", "anthropic/claude-haiku-4-5", "gemini/gemini-2.0-flash");
  }

  @Test
  void shouldPreferTheJobsOwnChainAndHaveNoneForAnEmptyOne() {
    assertThat(models(POLICY.chainOf("gpt-4o-mini", route("gpt-4o-mini"), List.of("gemini-flash"))))
        .containsExactly("openai/gpt-4o-mini", "gemini/gemini-2.5-flash");
    assertThat(POLICY.chainOf("gpt-4o-mini", route("gpt-4o-mini"), List.of())).hasSize(1);
    assertThat(POLICY.chainOf("gpt-4.1", route("gpt-4.1"), null)).hasSize(1);
  }

  @Test
  void shouldLeaveOutRepeatedAndUnknownEntries() {
    var chain =
        POLICY.chainOf(
            "gpt-4o-mini",
            route("gpt-4o-mini"),
            List.of(
                "fast", "gpt-4o-mini", "no-such-model", "claude-haiku-4-5", "claude-haiku-4-5"));
    assertThat(models(chain)).containsExactly("openai/gpt-4o-mini", "anthropic/claude-haiku-4-5");
  }

  @Test
  void shouldMoveToTheNextEntryOnAProviderOrModelFailure() {
    assertThat(POLICY.next(CHAIN, 0, failure(FailureScope.PROVIDER))).hasValue(1);
    assertThat(POLICY.next(CHAIN, 0, failure(FailureScope.MODEL))).hasValue(1);
    assertThat(POLICY.next(CHAIN, 1, failure(FailureScope.PROVIDER))).hasValue(2);
  }

  @Test
  void shouldNeverFallBackOnARequestErrorOrAnUnclassifiedOne() {
    for (int i = 0; i < CHAIN.size(); i++) {
      assertThat(POLICY.next(CHAIN, i, failure(FailureScope.REQUEST))).isEmpty();
      assertThat(POLICY.next(CHAIN, i, ErrorInfo.permanent("x", "unclassified"))).isEmpty();
      assertThat(POLICY.next(CHAIN, i, null)).isEmpty();
    }
  }

  @Test
  void shouldEndAfterTheLastEntry() {
    for (FailureScope scope : FailureScope.values()) {
      assertThat(POLICY.next(CHAIN, CHAIN.size() - 1, failure(scope))).isEmpty();
    }
    assertThat(FallbackPolicy.hasNext(CHAIN, 1)).isTrue();
    assertThat(FallbackPolicy.hasNext(CHAIN, 2)).isFalse();
  }

  @Test
  void shouldSkipEntriesOnTheFailedProviderAfterAProviderFailureButNotAfterAModelFailure() {
    var chain =
        POLICY.chainOf("gpt-4o-mini", route("gpt-4o-mini"), List.of("gpt-4o", "claude-haiku-4-5"));
    assertThat(POLICY.next(chain, 0, failure(FailureScope.PROVIDER))).hasValue(2);
    assertThat(POLICY.next(chain, 0, failure(FailureScope.MODEL))).hasValue(1);
  }

  @Test
  void shouldGoOnlyToALargerKnownContextWindowAfterAContextFailure() {
    var chain =
        POLICY.chainOf(
            "gpt-4o-mini", route("gpt-4o-mini"), List.of("gpt-4o", "gpt-4.1", "gemini-2.0-flash"));
    // gpt-4o is as large (not larger), gpt-4.1 is unknown: on to gemini's million
    assertThat(POLICY.next(chain, 0, failure(FailureScope.CONTEXT))).hasValue(3);
    var withoutLarger =
        POLICY.chainOf("gpt-4o-mini", route("gpt-4o-mini"), List.of("gpt-4o", "gpt-4.1"));
    assertThat(POLICY.next(withoutLarger, 0, failure(FailureScope.CONTEXT))).isEmpty();
  }

  @Test
  void shouldNotFallBackFromAnIndexOutsideTheChain() {
    assertThat(POLICY.next(CHAIN, 3, failure(FailureScope.PROVIDER)))
        .isEqualTo(OptionalInt.empty());
    assertThat(POLICY.next(CHAIN, -1, failure(FailureScope.PROVIDER))).isEmpty();
  }

  @Test
  void shouldRefuseADeploymentChainNamingAnUnknownModel() {
    assertThatThrownBy(() -> FallbackChains.parse("gpt-4o-mini=claude-9", CATALOG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_FALLBACK")
        .hasMessageContaining("'claude-9'");
    assertThatThrownBy(() -> FallbackChains.parse("gpt-5=gpt-4o", CATALOG))
        .hasMessageContaining("'gpt-5'");
    assertThatThrownBy(() -> FallbackChains.parse("gpt-4o-mini", CATALOG))
        .hasMessageContaining("is not model=next,next");
    assertThatThrownBy(() -> FallbackChains.parse("gpt-4o=gpt-4o", CATALOG))
        .hasMessageContaining("names the model itself");
    assertThatThrownBy(() -> FallbackChains.parse("gpt-4o=fast;gpt-4o=smart", CATALOG))
        .hasMessageContaining("given twice");
  }

  @Test
  void shouldReadNoChainsFromABlankSpec() {
    assertThat(FallbackChains.parse("  ", CATALOG).isEmpty()).isTrue();
    assertThat(FallbackChains.parse(null, CATALOG).after("gpt-4o")).isEmpty();
    assertThat(DEPLOYMENT.after("smart")).hasValue(List.of("gpt-4o"));
  }

  @Test
  void shouldReadContextWindowsAndRefuseABadOne() {
    assertThat(ContextWindows.parse("gpt-4o-mini=128000, claude-haiku-4-5=200000"))
        .containsEntry("gpt-4o-mini", 128_000L)
        .containsEntry("claude-haiku-4-5", 200_000L);
    assertThat(ContextWindows.parse(" ")).isEmpty();
    assertThatThrownBy(() -> ContextWindows.parse("gpt-4o-mini=lots"))
        .hasMessageContaining("SLUICE_CONTEXT_WINDOWS")
        .hasMessageContaining("gpt-4o-mini=lots");
  }
}
