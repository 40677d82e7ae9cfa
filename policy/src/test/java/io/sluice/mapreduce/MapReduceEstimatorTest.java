package io.sluice.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.tokens.TokenEstimator;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MapReduceEstimatorTest {
  private static final TokenEstimator GPT_4O_MINI = TokenEstimator.forModel("gpt-4o-mini");
  private static final ModelPrices PRICES =
      model ->
          Optional.ofNullable(
              Map.of(
                      "gpt-4o-mini",
                      new TokenPrices(
                          new BigDecimal("0.15"),
                          new BigDecimal("0.60"),
                          new BigDecimal("0.075"),
                          new BigDecimal("0.30")),
                      "gpt-4o",
                      new TokenPrices(
                          new BigDecimal("2.50"),
                          new BigDecimal("10.00"),
                          new BigDecimal("1.25"),
                          new BigDecimal("5.00")))
                  .get(model));
  private static final ModelWindow MINI = new ModelWindow("gpt-4o-mini", 128_000);

  private final MapReduceEstimator estimator = new MapReduceEstimator(PRICES);

  private static MapReduceRequest request(
      String document, long chunkTokens, long mapMax, long reduceMax, ModelWindow reduceModel) {
    return new MapReduceRequest(
        document,
        "count occurrences of \"contract\"",
        "sum the numbers",
        new ChunkSettings(chunkTokens, 0),
        mapMax,
        reduceMax,
        MINI,
        reduceModel);
  }

  @Test
  void shouldCountChunksAndMapCallsExactlyByRunningTheChunker() {
    String document = Documents.prose(1, 60, 5);
    MapReduceRequest request = request(document, 300, 10, 10, MINI);

    JobPlan plan = estimator.plan(request);
    MapReduceEstimate estimate = plan.estimate();

    long instruction =
        MapReduceEstimator.instructionTokens(GPT_4O_MINI, "count occurrences of \"contract\"");
    List<Chunk> chunks =
        new Chunker(GPT_4O_MINI).split(document, new ChunkSettings(300, 0), plan.mapCall());
    assertThat(plan.chunks()).isEqualTo(chunks);
    assertThat(estimate.chunks()).isEqualTo(chunks.size()).isGreaterThan(10);
    assertThat(estimate.mapCalls()).isEqualTo(chunks.size());
    assertThat(estimate.map().inputTokens())
        .isEqualTo(chunks.size() * instruction + chunks.stream().mapToLong(Chunk::tokens).sum());
    assertThat(estimate.map().outputTokens()).isEqualTo(chunks.size() * 10L);
  }

  @Test
  void shouldPlanTheReduceAsIfEveryOutputFilledItsMaxTokens() {
    String document = Documents.prose(2, 60, 5);
    // A reduce model with a small window: 2,000 − instruction − 100 − margin (64 + 20) leaves
    // about 1,800 tokens, so map outputs of 400 (+1) go 4 to a call.
    MapReduceRequest request =
        request(document, 300, 400, 100, new ModelWindow("gpt-4o-mini", 2_000));

    MapReduceEstimate estimate = estimator.estimate(request);

    long reduceInstruction = MapReduceEstimator.instructionTokens(GPT_4O_MINI, "sum the numbers");
    long room = 2_000 - reduceInstruction - 100 - (64 + 20);
    int perCall = (int) (room / 401);
    int level1 = Math.ceilDiv(estimate.chunks(), perCall);
    assertThat(estimate.treeDepth()).isGreaterThanOrEqualTo(2);
    assertThat(estimate.reduceCalls()).isGreaterThan(level1);
    assertThat(estimate.reduce().outputTokens()).isEqualTo(estimate.reduceCalls() * 100L);
    long carried = estimate.reduce().inputTokens() - estimate.reduceCalls() * reduceInstruction;
    assertThat(carried).isEqualTo(estimate.chunks() * 401L + (estimate.reduceCalls() - 1) * 101L);
  }

  @Test
  void shouldPriceBothPhasesAtTheRealtimeAndTheBatchPrice() {
    MapReduceRequest request =
        request(Documents.prose(3, 30, 5), 300, 10, 20, new ModelWindow("gpt-4o", 128_000));

    MapReduceEstimate estimate = estimator.estimate(request);

    BigDecimal mapRealtime =
        BigDecimal.valueOf(estimate.map().inputTokens())
            .multiply(new BigDecimal("0.15"))
            .add(BigDecimal.valueOf(estimate.map().outputTokens()).multiply(new BigDecimal("0.60")))
            .divide(BigDecimal.valueOf(1_000_000));
    BigDecimal reduceRealtime =
        BigDecimal.valueOf(estimate.reduce().inputTokens())
            .multiply(new BigDecimal("2.50"))
            .add(
                BigDecimal.valueOf(estimate.reduce().outputTokens())
                    .multiply(new BigDecimal("10.00")))
            .divide(BigDecimal.valueOf(1_000_000));
    assertThat(estimate.map().realtimeUsd()).contains(mapRealtime);
    assertThat(estimate.reduce().realtimeUsd()).contains(reduceRealtime);
    assertThat(estimate.cost(PriceBasis.REALTIME)).contains(mapRealtime.add(reduceRealtime));
    assertThat(estimate.cost(PriceBasis.BATCH).orElseThrow())
        .isEqualByComparingTo(mapRealtime.add(reduceRealtime).divide(BigDecimal.TWO));
    assertThat(estimate.inputTokens())
        .isEqualTo(estimate.map().inputTokens() + estimate.reduce().inputTokens());
    assertThat(estimate.outputTokens())
        .isEqualTo(estimate.map().outputTokens() + estimate.reduce().outputTokens());
  }

  @Test
  void shouldLeaveTheCostUnknownForAModelWithoutAPrice() {
    MapReduceRequest request =
        request(Documents.prose(4, 3, 3), 300, 10, 10, new ModelWindow("llama-3.1-70b", 8_000));

    MapReduceEstimate estimate = estimator.estimate(request);

    assertThat(estimate.reduce().realtimeUsd()).isEmpty();
    assertThat(estimate.cost(PriceBasis.REALTIME)).isEmpty();
    assertThat(estimate.map().realtimeUsd()).isPresent();
  }

  @Test
  void shouldRefuseAnEmptyDocument() {
    assertThatThrownBy(() -> estimator.estimate(request("", 300, 10, 10, MINI)))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("document"));
  }

  @Test
  void shouldRefuseChunksLargerThanTheMapModelHolds() {
    MapReduceRequest request =
        new MapReduceRequest(
            "text", "map", "reduce", new ChunkSettings(130_000, 0), 10, 10, MINI, MINI);

    assertThatThrownBy(() -> estimator.estimate(request))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("chunk_tokens"));
  }

  @Test
  void shouldRefuseMapOutputsTooLargeForOneReduceCall() {
    MapReduceRequest request =
        request(Documents.prose(5, 10, 5), 300, 5_000, 100, new ModelWindow("gpt-4o-mini", 4_000));

    assertThatThrownBy(() -> estimator.estimate(request))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("map.max_tokens"))
        .hasMessageContaining("more than one reduce call holds");
  }

  @Test
  void shouldRefuseAReduceThatCannotConvergeWithinTheDepthBound() {
    MapReduceEstimator shallow = new MapReduceEstimator(PRICES, 1);
    MapReduceRequest request =
        request(Documents.prose(6, 60, 5), 300, 400, 100, new ModelWindow("gpt-4o-mini", 2_000));

    assertThatThrownBy(() -> shallow.estimate(request))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("reduce.max_tokens"))
        .hasMessageStartingWith("the reduce does not converge within 1 levels");
  }
}
