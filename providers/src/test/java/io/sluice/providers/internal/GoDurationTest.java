package io.sluice.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
  @ParameterizedTest
  @CsvSource({
    "1s, PT1S",
    "6m0s, PT6M",
    "12ms, PT0.012S",
    "1h2m3.5s, PT1H2M3.5S",
    "250us, PT0.00025S",
    "0.5s, PT0.5S",
    "0s, PT0S",
    "0, PT0S",
    "17ns, PT0.000000017S"
  })
  void shouldParseGoDurations(String text, String expected) {
    assertThat(GoDuration.parse(text)).contains(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "5", "1x", "-1s", "1s garbage", "s"})
  void shouldRejectTextThatIsNotADuration(String text) {
    assertThat(GoDuration.parse(text)).isEmpty();
  }
}
