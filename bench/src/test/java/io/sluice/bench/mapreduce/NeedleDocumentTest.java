package io.sluice.bench.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NeedleDocumentTest {
  @Test
  void shouldHoldAtLeastTheTokensAskedInFewBytesPerToken() {
    NeedleDocument document = NeedleDocument.generate(50_000, 0.001, 13);

    assertThat(document.tokens()).isBetween(50_000, 53_000);
    assertThat((double) document.text().length() / document.tokens())
        .as("bytes a token: 2,000,000 tokens must fit 10 MB")
        .isLessThan(4.5);
  }

  @Test
  void shouldCountTheNeedlesItPlacedAndNothingElse() {
    NeedleDocument document = NeedleDocument.generate(20_000, 0.002, 5);

    assertThat(document.needles()).isEqualTo(document.text().split("zebra", -1).length - 1);
    assertThat(document.needles()).isBetween(20, 80);
    assertThat(NeedleDocument.count("zebra zebras azebra", "zebra")).isEqualTo(3);
  }

  @Test
  void shouldBeTheSameFromTheSameSeed() {
    assertThat(NeedleDocument.generate(5_000, 0.01, 3).text())
        .isEqualTo(NeedleDocument.generate(5_000, 0.01, 3).text());
  }
}
