package io.sluice.egress;

import io.sluice.egress.internal.AllowList;
import java.util.List;

/**
 * Which destinations may be reached. By default only public addresses over https; {@code allowList}
 * is the operator's escape hatch: CIDRs ({@code 10.1.0.0/16}, {@code fd00::/8}) whose addresses are
 * admitted even though they are private, and exact host names ({@code hooks.internal}) whose
 * addresses are all admitted (except the cloud metadata addresses, which only a CIDR admits).
 *
 * @param allowPlainHttp whether {@code http://} URLs are allowed besides {@code https://}
 * @param allowList CIDRs or exact host names that are admitted although they would be refused
 */
public record EgressRules(boolean allowPlainHttp, List<String> allowList) {

  /**
   * @throws IllegalArgumentException naming the first allow-list entry that is neither a CIDR nor a
   *     host name
   */
  public EgressRules {
    if (allowList == null) {
      throw new IllegalArgumentException("egress allowList is required (may be empty)");
    }
    AllowList.parse(allowList);
    allowList = List.copyOf(allowList);
  }

  /** The production default: https only, public addresses only. */
  public static EgressRules publicHttpsOnly() {
    return new EgressRules(false, List.of());
  }

  /**
   * For {@code sluice local}: plain http and loopback (127.0.0.0/8, ::1) allowed, so a receiver on
   * the user's machine works; everything else still refused, the metadata address included.
   */
  public static EgressRules local() {
    return new EgressRules(true, List.of("127.0.0.0/8", "::1/128"));
  }
}
