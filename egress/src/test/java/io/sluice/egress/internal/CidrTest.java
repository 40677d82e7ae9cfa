package io.sluice.egress.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void aRangeContainsExactlyTheAddressesUnderItsPrefix() throws Exception {
    Cidr range = Cidr.of("172.16.0.0/12");

    assertThat(range.contains(bytes("172.16.0.0"))).isTrue();
    assertThat(range.contains(bytes("172.31.255.255"))).isTrue();
    assertThat(range.contains(bytes("172.32.0.0"))).isFalse();
    assertThat(range.contains(bytes("172.15.255.255"))).isFalse();
    assertThat(range.contains(bytes("::ac10:1"))).isFalse();
  }

  @Test
  void aZeroPrefixContainsEveryAddressOfItsFamily() throws Exception {
    assertThat(Cidr.of("0.0.0.0/0").contains(bytes("203.0.113.9"))).isTrue();
    assertThat(Cidr.of("::/0").contains(bytes("2001:db8::1"))).isTrue();
    assertThat(Cidr.of("::/0").contains(bytes("10.0.0.1"))).isFalse();
  }

  @Test
  void aSingleAddressIsAFullLengthRange() throws Exception {
    assertThat(Cidr.of("10.0.0.5").prefix()).isEqualTo(32);
    assertThat(Cidr.of("::1").prefix()).isEqualTo(128);
    assertThat(Cidr.of("10.0.0.5").contains(bytes("10.0.0.6"))).isFalse();
  }

  @Test
  void hostBitsBadPrefixesAndLenientSpellingsAreNoRange() {
    assertThat(Cidr.parse("10.1.2.3/16")).isEmpty();
    assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
    assertThat(Cidr.parse("fd00::/129")).isEmpty();
    assertThat(Cidr.parse("10.0.0.0/-1")).isEmpty();
    assertThat(Cidr.parse("10.1/16")).isEmpty();
    assertThat(Cidr.parse("0x0a.0.0.0/8")).isEmpty();
  }

  private static byte[] bytes(String address) throws Exception {
    return InetAddress.getByName(address).getAddress();
  }
}
