package io.sluice.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressRulesTest {
  @Test
  void theProductionDefaultIsHttpsToPublicAddressesOnly() {
    assertThat(EgressRules.publicHttpsOnly()).isEqualTo(new EgressRules(false, List.of()));
  }

  @Test
  void localRulesAllowPlainHttpAndLoopbackOnly() {
    assertThat(EgressRules.local())
        .isEqualTo(new EgressRules(true, List.of("127.0.0.0/8", "::1/128")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1.0.0/16",
        "fd00::/8",
        "10.0.0.5",
        "::1",
        "0.0.0.0/0",
        "hooks.internal",
        "HOOKS.internal.",
        "my_host.corp",
        "192.168.0.0/24"
      })
  void cidrsAddressesAndHostNamesAreValidEntries(String entry) {
    assertThat(new EgressRules(false, List.of(entry)).allowList()).containsExactly(entry);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1.0.0/33", "10.1.2.3/16", "10.1.0.0/", "10.1.0.0/08", "::1/129", "fd00::/x", "127.1",
        "0x7f.1", "2130706433", "256.0.0.0/8", "", " ", "*.example.com", "http://hooks.internal",
        "hooks internal", "hooks..internal", "-hooks.internal", "1:2:3"
      })
  void aBadEntryIsRejectedByName(String entry) {
    assertThatThrownBy(() -> new EgressRules(false, List.of("10.0.0.0/8", entry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + entry + "'");
  }

  @Test
  void aNullEntryOrListIsRejected() {
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> new EgressRules(false, withNull))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> new EgressRules(false, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theAllowListCannotBeChangedAfterwards() {
    List<String> entries = new ArrayList<>(List.of("10.0.0.0/8"));
    EgressRules rules = new EgressRules(false, entries);
    entries.add("0.0.0.0/0");

    assertThat(rules.allowList()).containsExactly("10.0.0.0/8");
  }
}
