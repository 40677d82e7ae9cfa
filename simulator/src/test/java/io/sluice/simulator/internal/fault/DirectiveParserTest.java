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
  void shouldReadInvalidOutputAsACountOrAlways() {
    SimDirective once = DirectiveParser.parse("#sim invalid-output=1\nx").directive();
    SimDirective always = DirectiveParser.parse("#sim invalid-output=always\nx").directive();

    assertThat(once.violatesSchema(0)).isTrue();
    assertThat(once.violatesSchema(1)).isFalse();
    assertThat(always.violatesSchema(1_000)).isTrue();
    assertThat(SimDirective.NONE.violatesSchema(0)).isFalse();
    assertThat(once.hasFault()).isFalse();
    assertThatThrownBy(() -> DirectiveParser.parse("#sim invalid-output=never\nx"))
        .isInstanceOf(DirectiveException.class)
        .hasMessageContaining("invalid-output");
  }

  @Test
  void shouldKeepTheFirstUserMessagesDirectiveForAFollowUpTurn() {
    var messages =
        java.util.List.of(
            new io.sluice.simulator.internal.answer.PromptMessage("system", "#sim error=500"),
            new io.sluice.simulator.internal.answer.PromptMessage(
                "user", "#sim invalid-output=2\nextract"),
            new io.sluice.simulator.internal.answer.PromptMessage("assistant", "{}"),
            new io.sluice.simulator.internal.answer.PromptMessage("user", "fix it"));

    DirectiveParser.Parsed kept = DirectiveParser.parseConversation(messages, "fix it");
    DirectiveParser.Parsed own = DirectiveParser.parseConversation(messages, "#sim hang=5\nfix it");

    assertThat(kept.directive().invalidOutput()).isEqualTo(2);
    assertThat(kept.prompt()).isEqualTo("fix it");
    assertThat(own.directive().hangMs()).isEqualTo(5);
    assertThat(own.directive().invalidOutput()).isNull();
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
