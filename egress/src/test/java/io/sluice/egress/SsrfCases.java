package io.sluice.egress;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every URL the SSRF rules must refuse under {@link EgressRules#publicHttpsOnly()}, with a fragment
 * of the reason the client is told. Used at registration ({@link EgressGuardTest}) and at delivery
 * ({@link EgressClientTest}).
 */
final class SsrfCases {
  private SsrfCases() {}

  /** The DNS the named cases need: names that lead to blocked addresses. */
  static StubResolver resolver() {
    return new StubResolver()
        .answer("localhost", "127.0.0.1", "::1")
        .answer("metadata.google.internal", "169.254.169.254")
        .answer("internal.example.com", "10.0.0.5")
        .answer("mixed.example.com", "93.184.216.34", "192.168.1.20")
        .answer("v6-private.example.com", "2606:2800:220:1::1", "fd00::5")
        .answer("mapped.example.com", "::ffff:127.0.0.1")
        .answer("nat64.example.com", "64:ff9b::a9fe:a9fe");
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        // Schemes, plain http, user information.
        refused("ftp://example.com/", "must use https, not ftp"),
        refused("file:///etc/passwd", "must use https, not file"),
        refused("gopher://example.com:70/", "must use https, not gopher"),
        refused("jar:https://example.com/x.jar!/", "must use https, not jar"),
        refused("http://example.com/hook", "must use https"),
        refused("//example.com/hook", "must use https"),
        refused("https:example.com", "has no host"),
        refused("https://user:secret@example.com/", "user information"),
        refused("https://example.com@127.0.0.1/", "user information"),
        // Loopback in every spelling.
        refused("https://127.0.0.1/", "loopback address (127.0.0.1)"),
        refused("https://127.255.255.254/", "loopback address (127.255.255.254)"),
        refused("https://127.1/", "loopback address (127.0.0.1)"),
        refused("https://127.0.1/", "loopback address (127.0.0.1)"),
        refused("https://2130706433/", "loopback address (127.0.0.1)"),
        refused("https://0177.0.0.1/", "loopback address (127.0.0.1)"),
        refused("https://0x7f.0.0.1/", "loopback address (127.0.0.1)"),
        refused("https://0X7F.1/", "loopback address (127.0.0.1)"),
        refused("https://0x7f000001/", "loopback address (127.0.0.1)"),
        refused("https://017700000001/", "loopback address (127.0.0.1)"),
        refused("https://0177.0x0.1/", "loopback address (127.0.0.1)"),
        refused("https://127.0.0.1./", "loopback address (127.0.0.1)"),
        refused("https://127.0.0.1:8443/x", "loopback address (127.0.0.1)"),
        refused("https://localhost/", "resolves to a loopback address (127.0.0.1)"),
        refused("https://LOCALHOST./", "resolves to a loopback address (127.0.0.1)"),
        // Private.
        refused("https://10.0.0.5/", "private address (10.0.0.5)"),
        refused("https://10.255.255.255/", "private address"),
        refused("https://012.0.0.1/", "private address (10.0.0.1)"),
        refused("https://167772161/", "private address (10.0.0.1)"),
        refused("https://172.16.0.1/", "private address"),
        refused("https://172.31.255.255/", "private address"),
        refused("https://192.168.1.1/", "private address"),
        refused("https://3232235777/", "private address (192.168.1.1)"),
        refused("https://0xc0.0xa8.1.1/", "private address (192.168.1.1)"),
        refused("https://internal.example.com/", "resolves to a private address (10.0.0.5)"),
        refused("https://mixed.example.com/", "resolves to a private address (192.168.1.20)"),
        // Link-local and cloud metadata.
        refused("https://169.254.169.254/latest/meta-data/", "cloud metadata address"),
        refused("https://2852039166/", "cloud metadata address (169.254.169.254)"),
        refused("https://0xa9fea9fe/", "cloud metadata address (169.254.169.254)"),
        refused("https://0251.0376.0251.0376/", "cloud metadata address (169.254.169.254)"),
        refused("https://169.254.0.1/", "link-local address"),
        refused("https://metadata.google.internal/", "resolves to a cloud metadata address"),
        refused("https://[fd00:ec2::254]/", "cloud metadata address"),
        // Carrier-grade NAT, this network, reserved, documentation, benchmarking, broadcast.
        refused("https://100.64.0.1/", "shared (carrier-grade NAT) address"),
        refused("https://100.127.255.254/", "shared (carrier-grade NAT) address"),
        refused("https://0.0.0.0/", "unspecified address"),
        refused("https://0/", "unspecified address (0.0.0.0)"),
        refused("https://0.1.2.3/", "unspecified address"),
        refused("https://192.0.0.8/", "reserved address"),
        refused("https://192.0.2.1/", "documentation address"),
        refused("https://198.18.0.1/", "benchmarking address"),
        refused("https://198.19.255.1/", "benchmarking address"),
        refused("https://198.51.100.7/", "documentation address"),
        refused("https://203.0.113.9/", "documentation address"),
        refused("https://240.0.0.1/", "reserved address"),
        refused("https://255.255.255.255/", "broadcast address"),
        refused("https://4294967295/", "broadcast address"),
        refused("https://224.0.0.1/", "multicast address"),
        refused("https://239.255.255.250/", "multicast address"),
        // IPv6.
        refused("https://[::]/", "unspecified address"),
        refused("https://[::1]/", "loopback address"),
        refused("https://[0:0:0:0:0:0:0:1]/", "loopback address"),
        refused("https://[0000::0001]:8443/", "loopback address"),
        refused("https://[fe80::1]/", "link-local address"),
        refused("https://[febf:ffff::1]/", "link-local address"),
        refused("https://[fc00::1]/", "unique local"),
        refused("https://[fd12:3456:789a::1]/", "unique local"),
        refused("https://[fec0::1]/", "site-local"),
        refused("https://[2001:db8::1]/", "documentation address"),
        refused("https://[ff02::1]/", "multicast address"),
        refused("https://[ff0e::1]/", "multicast address"),
        refused("https://[64:ff9b::7f00:1]/", "loopback address"),
        refused("https://[64:ff9b::10.0.0.1]/", "private address"),
        refused("https://[64:ff9b::a9fe:a9fe]/", "cloud metadata address"),
        refused("https://[2002:7f00:1::]/", "loopback address"),
        refused("https://[2002:a9fe:a9fe::1]/", "cloud metadata address"),
        refused("https://[2002:c0a8:101::1]/", "private address"),
        refused("https://[::ffff:127.0.0.1]/", "loopback address (127.0.0.1)"),
        refused("https://[::ffff:7f00:1]/", "loopback address (127.0.0.1)"),
        refused("https://[::ffff:10.0.0.1]/", "private address (10.0.0.1)"),
        refused("https://[::ffff:169.254.169.254]/", "cloud metadata address"),
        refused("https://[::ffff:100.64.0.1]/", "carrier-grade NAT"),
        refused("https://[::ffff:0.0.0.0]/", "unspecified address"),
        refused("https://[::127.0.0.1]/", "loopback address"),
        refused("https://[::7f00:1]/", "loopback address"),
        refused("https://[::10.0.0.1]/", "private address"),
        refused("https://[::8.8.8.8]/", "reserved address"),
        refused("https://[::ffff:0:127.0.0.1]/", "loopback address"),
        refused("https://[2001::1]/", "reserved address"),
        refused("https://[fe80::1%25eth0]/", "zone id"),
        refused("https://[::1%251]/", "zone id"),
        refused("https://v6-private.example.com/", "resolves to a private (unique local) address"),
        refused("https://mapped.example.com/", "resolves to a loopback address (127.0.0.1)"),
        refused("https://nat64.example.com/", "resolves to a cloud metadata address"),
        // Spellings that are no address at all.
        refused("https://256.0.0.1/", "not a valid IPv4 address"),
        refused("https://1.2.3.4.5/", "not a valid IPv4 address"),
        refused("https://0x100000000/", "not a valid IPv4 address"),
        refused("https://08.0.0.1/", "not a valid IPv4 address"),
        refused("https://127.0.0.1../", "not a valid host name"),
        refused("https://127.0.0.%31/", "not encoded"),
        refused("https://does-not-exist.example/", "does not resolve"));
  }

  private static Arguments refused(String url, String reason) {
    return Arguments.of(url, reason);
  }
}
