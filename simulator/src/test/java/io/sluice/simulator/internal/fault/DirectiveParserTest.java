package io.sluice.simulator.internal.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DirectiveParserTest {
  @Test
  void shouldReadEverySettingAndStripTheDirectiveLine() {
    DirectiveParser.Parsed parsed =
        DirectiveParser.parse(
            "#sim error=429 code=insufficient_quota retry-after=2 retry-after-ms=1500"
                + " retry-after-date=30 fail-first=2 hang=10 malformed truncated reset\n"
                + "reverse: abc\nsecond line");

    SimDirective d = parsed.directive();
    assertThat(parsed.prompt()).isEqualTo("reverse: abc\nsecond line");
    assertThat(d.errorStatus()).isEqualTo(429);
    assertThat(d.code()).isEqualTo("insufficient_quota");
    assertThat(d.retryAfterSeconds()).isEqualTo(2);
    assertThat(d.retryAfterMs()).isEqualTo(1500);
    assertThat(d.retryAfterDateSeconds()).isEqualTo(30);
    assertThat(d.failFirst()).isEqualTo(2);
    assertThat(d.hangMs()).isEqualTo(10);
    assertThat(d.malformed()).isTrue();
    assertThat(d.truncated()).isTrue();
    assertThat(d.reset()).isTrue();
  }

  @Test
  void shouldTolerateCaseBlanksCommasAndWindowsLineEnds() {
    DirectiveParser.Parsed parsed =
        DirectiveParser.parse("  #SIM   error=503,  Retry-After=1 \r\nuppercase: x");

    assertThat(parsed.directive().errorStatus()).isEqualTo(503);
    assertThat(parsed.directive().retryAfterSeconds()).isEqualTo(1);
    assertThat(parsed.prompt()).isEqualTo("uppercase: x");
  }

  @Test
  void shouldLeaveMessagesWithoutADirectiveAlone() {
    assertThat(DirectiveParser.parse("reverse: #sim").directive()).isEqualTo(SimDirective.NONE);
    assertThat(DirectiveParser.parse("#simulate this").directive()).isEqualTo(SimDirective.NONE);
    assertThat(DirectiveParser.parse("#simulate this").prompt()).isEqualTo("#simulate this");
    assertThat(DirectiveParser.parse(null).prompt()).isEmpty();
  }

  @Test
  void shouldAcceptADirectiveWithoutAPrompt() {
    DirectiveParser.Parsed parsed = DirectiveParser.parse("#sim reset");

    assertThat(parsed.directive().reset()).isTrue();
    assertThat(parsed.prompt()).isEmpty();
  }

  @Test
  void shouldRejectUnknownSettingsAndBadValuesByName() {
    assertThatThrownBy(() -> DirectiveParser.parse("#sim eror=500\nx"))
        .isInstanceOf(DirectiveException.class)
        .hasMessageContaining("'eror'");
    assertThatThrownBy(() -> DirectiveParser.parse("#sim error=abc\nx"))
        .hasMessageContaining("error needs a whole number");
    assertThatThrownBy(() -> DirectiveParser.parse("#sim error=\nx"))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> DirectiveParser.parse("#sim error=99\nx"))
        .hasMessageContaining("between 100 and 599");
  }
}
