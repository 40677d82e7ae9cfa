package io.sluice.launcher.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sluice.jobapi.budget.BudgetStatus;
import io.sluice.jobapi.tenant.ApiKeyInfo;
import io.sluice.jobapi.tenant.RequestLimit;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.schemas.json.Json;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How tenants and keys are shown: aligned columns for people, JSON ({@code --json}) for scripts.
 * Never a key's plaintext or hash: only its ID and display prefix.
 */
final class AdminOutput {
  private AdminOutput() {}

  static Map<String, Object> tenant(Tenant tenant) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", tenant.id());
    fields.put("name", tenant.name());
    fields.put("status", tenant.disabled() ? "disabled" : "active");
    fields.put("created_at", text(tenant.createdAt()));
    fields.put("disabled_at", text(tenant.disabledAt()));
    RequestLimit limit = tenant.requestLimit();
    fields.put("requests_per_second", limit == null ? null : limit.perSecond());
    fields.put("request_burst", limit == null ? null : limit.burst());
    return fields;
  }

  /** {@link #tenant} with its token budgets and the current day's and month's usage. */
  static Map<String, Object> tenantWithBudgets(Tenant tenant, List<BudgetStatus> budgets) {
    Map<String, Object> fields = tenant(tenant);
    Map<String, Object> periods = new LinkedHashMap<>();
    for (BudgetStatus status : budgets) {
      Map<String, Object> period = new LinkedHashMap<>();
      period.put("limit_tokens", status.limitTokens());
      period.put("used_tokens", status.usedTokens());
      period.put("reserved_tokens", status.reservedTokens());
      period.put("starts", status.starts().toString());
      period.put("resets_at", status.resetsAt().toString());
      periods.put(status.period().wireName(), period);
    }
    fields.put("token_budgets", periods);
    return fields;
  }

  static void budgetTable(PrintWriter out, List<BudgetStatus> budgets) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("BUDGET", "LIMIT", "USED", "RESERVED", "LEFT", "RESETS"));
    for (BudgetStatus status : budgets) {
      Long limit = status.limitTokens();
      rows.add(
          List.of(
              status.period().wireName(),
              tokens(limit),
              Long.toString(status.usedTokens()),
              Long.toString(status.reservedTokens()),
              limit == null ? "-" : Long.toString(Math.max(0, limit - status.countedTokens())),
              status.resetsAt().toString()));
    }
    table(out, rows);
  }

  /** A tenant's result-cache TTL as an operator reads it. */
  static String cacheTtl(Optional<java.time.Duration> ttl) {
    if (ttl.isEmpty()) {
      return "the deployment's default";
    }
    long seconds = ttl.get().toSeconds();
    return seconds == 0 ? "0 (not cached)" : seconds + " s";
  }

  static String tokens(Long tokens) {
    return tokens == null ? "none" : tokens + " tokens";
  }

  static Map<String, Object> key(ApiKeyInfo key, Instant now) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", key.id());
    fields.put("tenant_id", key.tenantId());
    fields.put("prefix", key.displayPrefix());
    fields.put("status", key.statusAt(now).wireName());
    fields.put("created_at", text(key.createdAt()));
    fields.put("expires_at", text(key.expiresAt()));
    fields.put("revoked_at", text(key.revokedAt()));
    return fields;
  }

  static void json(PrintWriter out, Object value) {
    try {
      out.println(Json.mapper().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static void tenantTable(PrintWriter out, List<Tenant> tenants) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("ID", "NAME", "STATUS", "REQUEST LIMIT", "CREATED"));
    for (Tenant tenant : tenants) {
      rows.add(
          List.of(
              tenant.id(),
              tenant.name(),
              tenant.disabled() ? "disabled" : "active",
              limit(tenant.requestLimit()),
              text(tenant.createdAt())));
    }
    table(out, rows);
  }

  static void keyTable(PrintWriter out, List<ApiKeyInfo> keys, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("ID", "PREFIX", "STATUS", "CREATED", "EXPIRES", "REVOKED"));
    for (ApiKeyInfo key : keys) {
      rows.add(
          List.of(
              key.id(),
              key.displayPrefix() + "...",
              key.statusAt(now).wireName(),
              text(key.createdAt()),
              orDash(key.expiresAt()),
              orDash(key.revokedAt())));
    }
    table(out, rows);
  }

  static String limit(RequestLimit limit) {
    return limit == null ? "default" : formatRate(limit.perSecond()) + "/s burst " + limit.burst();
  }

  private static String formatRate(double perSecond) {
    return perSecond == Math.rint(perSecond)
        ? Long.toString((long) perSecond)
        : Double.toString(perSecond);
  }

  private static void table(PrintWriter out, List<List<String>> rows) {
    int[] widths = new int[rows.getFirst().size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }

  private static String orDash(Instant instant) {
    return instant == null ? "-" : instant.toString();
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
