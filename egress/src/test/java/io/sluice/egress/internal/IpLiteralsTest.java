package io.sluice.egress.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "2130706433, 127.0.0.1",
    "0177.0.0.1, 127.0.0.1",
    "0x7f.0.0.1, 127.0.0.1",
    "0X7F.0X0.0X0.0X1, 127.0.0.1",
    "0x7f000001, 127.0.0.1",
    "017700000001, 127.0.0.1",
    "127.1, 127.0.0.1",
    "127.0.1, 127.0.0.1",
    "0177.1, 127.0.0.1",
    "0x7f.0.1, 127.0.0.1",
    "0, 0.0.0.0",
    "0x, 0.0.0.0",
    "00, 0.0.0.0",
    "4294967295, 255.255.255.255",
    "10.0.65535, 10.0.255.255",
    "10.16777215, 10.255.255.255",
    "192.168.000001.01, 192.168.1.1"
  })
  void everySpellingOfAnIpv4AddressIsRead(String host, String address) throws Exception {
    byte[] expected = InetAddress.getByName(address).getAddress();

    assertThat(IpLiterals.lenientIpv4(host))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "256.0.0.1",
        "1.2.3.4.5",
        "4294967296",
        "0x100000000",
        "08.0.0.1",
        "09",
        "1.2.3.256",
        "1.2.65536",
        "1.16777216",
        "1..2.3",
        "1.2.3.",
        "0xg",
        "1.2.3.-1",
        "+1.2.3.4",
        ""
      })
  void whatIsNoIpv4SpellingIsNotRead(String host) {
    assertThat(IpLiterals.lenientIpv4(host)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2130706433", "127.1", "example.0x7f", "0x", "a.b.0XAB", "1.2.3.4"})
  void aHostWhoseLastLabelIsANumberIsReadAsAnAddress(String host) {
    assertThat(IpLiterals.endsInANumber(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "1.2.3.4.example", "0x7f.example", "1e10", "0xg1"})
  void aHostWhoseLastLabelIsNoNumberIsAName(String host) {
    assertThat(IpLiterals.endsInANumber(host)).isFalse();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "::, ::",
    "::1, ::1",
    "0:0:0:0:0:0:0:1, ::1",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "1::, 1::",
    "fe80::1:2, fe80::1:2",
    "::ffff:1.2.3.4, ::ffff:102:304",
    "64:ff9b::10.0.0.1, 64:ff9b::a00:1",
    "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
    "FD00:EC2::254, fd00:ec2::254"
  })
  void ipv6AddressesAreRead(String text, String address) throws Exception {
    byte[] expected = ipv6Bytes(address);

    assertThat(IpLiterals.ipv6(text)).hasValueSatisfying(b -> assertThat(b).isEqualTo(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ":::",
        "1::2::3",
        "12345::",
        "::ffff:1.2.3",
        "::ffff:01.2.3.4",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "g::1",
        ":1::",
        "1::2:",
        "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4",
        ""
      })
  void whatIsNoIpv6AddressIsNotRead(String text) {
    assertThat(IpLiterals.ipv6(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "0.0.0.0", "255.255.255.255"})
  void dottedDecimalIsStrict(String text) {
    assertThat(IpLiterals.dottedDecimalIpv4(text)).isPresent();
    assertThat(IpLiterals.dottedDecimalIpv4("0" + text)).isEmpty();
    assertThat(IpLiterals.dottedDecimalIpv4(text + ".1")).isEmpty();
  }

  private static byte[] ipv6Bytes(String address) throws Exception {
    byte[] bytes = InetAddress.getByName(address).getAddress();
    if (bytes.length == 16) {
      return bytes;
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(bytes, 0, mapped, 12, 4);
    return mapped;
  }
}
