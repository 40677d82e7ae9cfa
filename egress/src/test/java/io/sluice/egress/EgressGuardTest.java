package io.sluice.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EgressGuardTest {
  private final StubResolver dns =
      SsrfCases.resolver()
          .answer("hooks.example.com", "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
          .answer("hooks.internal", "10.9.9.9")
          .answer("other.internal", "10.9.9.9")
          .answer("imds.internal", "10.9.9.9", "169.254.169.254");
  private final EgressGuard production = new EgressGuard(EgressRules.publicHttpsOnly(), dns);

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sluice.egress.SsrfCases#refused")
  void everyForbiddenDestinationIsRefusedAtRegistrationWithItsReason(String url, String reason) {
    EgressCheck check = production.check(URI.create(url));

    assertThat(check)
        .isInstanceOfSatisfying(
            EgressCheck.Refused.class, refused -> assertThat(refused.reason()).contains(reason));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "https://hooks.example.com/webhooks?tenant=1",
    "https://HOOKS.Example.COM./webhooks",
    "HTTPS://hooks.example.com:8443",
    "https://93.184.216.34/",
    "https://1572395042/",
    "https://[2606:2800:220:1:248:1893:25c8:1946]:443/",
    "https://[::ffff:93.184.216.34]/",
    "https://[64:ff9b::8.8.8.8]/",
    "https://[2002:5db8:d822::1]/"
  })
  void publicDestinationsAreAllowed(String url) {
    assertThat(production.check(URI.create(url))).isInstanceOf(EgressCheck.Allowed.class);
  }

  @Test
  void anAllowedNameCarriesEveryAddressItResolvedTo() throws Exception {
    EgressCheck check = production.check(URI.create("https://hooks.example.com/"));

    assertThat(check)
        .isEqualTo(
            new EgressCheck.Allowed(
                URI.create("https://hooks.example.com/"),
                List.of(
                    InetAddress.getByName("93.184.216.34"),
                    InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946"))));
    assertThat(dns.lookups()).isEqualTo(1);
  }

  @Test
  void aNumericHostIsJudgedWithoutAnyLookup() {
    production.check(URI.create("https://2130706433/"));
    production.check(URI.create("https://93.184.216.34/"));

    assertThat(dns.lookups()).isZero();
  }

  @Test
  void theRefusalReasonNamesTheKindAndTheAddress() {
    assertThat(production.check(URI.create("https://0x7f.1/")))
        .isEqualTo(new EgressCheck.Refused("the URL's host is a loopback address (127.0.0.1)"));
    assertThat(production.check(URI.create("https://internal.example.com/")))
        .isEqualTo(
            new EgressCheck.Refused("the URL's host resolves to a private address (10.0.0.5)"));
  }

  @Test
  void aNameWhoseAnswerTurnsPrivateIsRefusedAtTheNextCheck() {
    dns.answer("rebind.example.com", "93.184.216.34").thenAnswer("rebind.example.com", "10.0.0.7");

    assertThat(production.check(URI.create("https://rebind.example.com/")))
        .isInstanceOf(EgressCheck.Allowed.class);
    assertThat(production.check(URI.create("https://rebind.example.com/")))
        .isEqualTo(
            new EgressCheck.Refused("the URL's host resolves to a private address (10.0.0.7)"));
  }

  @Test
  void anAllowListedRangeAdmitsItsAddressesAndNothingElse() {
    EgressGuard guard =
        new EgressGuard(new EgressRules(false, List.of("10.1.0.0/16", "fd00::/8")), dns);

    assertThat(guard.check(URI.create("https://10.1.2.3/")))
        .isInstanceOf(EgressCheck.Allowed.class);
    assertThat(guard.check(URI.create("https://[fd12::1]/")))
        .isInstanceOf(EgressCheck.Allowed.class);
    assertThat(guard.check(URI.create("https://10.2.0.1/")))
        .isInstanceOf(EgressCheck.Refused.class);
    assertThat(guard.check(URI.create("https://[fc00::1]/")))
        .isInstanceOf(EgressCheck.Refused.class);
    assertThat(guard.check(URI.create("https://169.254.169.254/")))
        .isInstanceOf(EgressCheck.Refused.class);
  }

  @Test
  void anAllowListedRangeDoesNotAllowPlainHttp() {
    EgressGuard guard = new EgressGuard(new EgressRules(false, List.of("10.1.0.0/16")), dns);

    assertThat(guard.check(URI.create("http://10.1.2.3/")))
        .isEqualTo(new EgressCheck.Refused("the URL must use https"));
  }

  @Test
  void anAllowListedHostNameAdmitsItsAddressesButNotTheMetadataEndpoint() {
    EgressGuard guard = new EgressGuard(new EgressRules(false, List.of("HOOKS.internal.")), dns);

    assertThat(guard.check(URI.create("https://hooks.internal/")))
        .isInstanceOf(EgressCheck.Allowed.class);
    assertThat(guard.check(URI.create("https://other.internal/")))
        .isInstanceOf(EgressCheck.Refused.class);
    assertThat(guard.check(URI.create("https://10.9.9.9/")))
        .isInstanceOf(EgressCheck.Refused.class);

    EgressGuard imds = new EgressGuard(new EgressRules(false, List.of("imds.internal")), dns);
    assertThat(imds.check(URI.create("https://imds.internal/")))
        .isEqualTo(
            new EgressCheck.Refused(
                "the URL's host resolves to a cloud metadata address (169.254.169.254)"));
  }

  @Test
  void localRulesAllowLoopbackAndPlainHttpButNotTheMetadataAddress() {
    EgressGuard local = new EgressGuard(EgressRules.local(), dns);

    assertThat(local.check(URI.create("http://127.0.0.1:8080/hooks")))
        .isInstanceOf(EgressCheck.Allowed.class);
    assertThat(local.check(URI.create("http://localhost:8080/hooks")))
        .isInstanceOf(EgressCheck.Allowed.class);
    assertThat(local.check(URI.create("https://[::1]:8443/")))
        .isInstanceOf(EgressCheck.Allowed.class);
    assertThat(local.check(URI.create("http://169.254.169.254/latest/meta-data/")))
        .isEqualTo(
            new EgressCheck.Refused(
                "the URL's host is a cloud metadata address (169.254.169.254)"));
    assertThat(local.check(URI.create("http://10.0.0.5/"))).isInstanceOf(EgressCheck.Refused.class);
    assertThat(local.check(URI.create("ftp://127.0.0.1/"))).isInstanceOf(EgressCheck.Refused.class);
  }

  @Test
  void aHostNameThatDoesNotResolveIsRefusedAtRegistration() {
    assertThat(production.check(URI.create("https://nowhere.example/")))
        .isEqualTo(
            new EgressCheck.Refused("the URL's host name does not resolve (nowhere.example)"));
  }
}
