package io.sluice.launcher.admin;

import io.sluice.jobapi.tenant.ApiKeyInfo;
import io.sluice.jobapi.tenant.IssuedApiKey;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.jobapi.tenant.TenantAdmin;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice admin keys issue|list|revoke}. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Issues, lists and revokes API keys.",
    subcommands = {KeyCommands.Issue.class, KeyCommands.ListKeys.class, KeyCommands.Revoke.class})
final class KeyCommands implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: issue, list or revoke");
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description =
          "Issues a new key for a tenant and prints it once on stdout (only its hash is stored).")
  static final class Issue extends AdminSubcommand {
    @Option(
        names = "--tenant",
        required = true,
        paramLabel = "TENANT",
        description = "The tenant's ID or name.")
    String tenant;

    @Option(
        names = "--expires-in",
        paramLabel = "DURATION",
        description = "The key stops working after this long: 30d, 12h, 90m or ISO-8601 (P30D).")
    String expiresIn;

    @Option(
        names = "--expires-at",
        paramLabel = "TIME",
        description = "The key stops working at this time: 2027-01-31T00:00:00Z or 2027-01-31.")
    String expiresAt;

    @Option(names = "--json", description = "Print the key and its details as JSON.")
    boolean json;

    private Instant expiry;

    @Override
    void prepare(AdminCommand root) {
      expiry = AdminArguments.expiry(expiresIn, expiresAt, root.clock().instant()).orElse(null);
    }

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      Tenant found = AdminCommand.tenant(admin, tenant);
      IssuedApiKey issued = admin.issueKey(found.id(), expiry);
      if (json) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", issued.plaintext());
        fields.putAll(AdminOutput.key(issued.info(), issued.info().createdAt()));
        AdminOutput.json(out, fields);
        return;
      }
      err.println(
          "issued key "
              + issued.info().id()
              + " for tenant "
              + found.id()
              + " ("
              + found.name()
              + ")"
              + (expiry == null ? ", no expiry" : ", expires " + issued.info().expiresAt())
              + ". It is shown only now: store it.");
      err.flush();
      out.println(issued.plaintext());
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists a tenant's keys (IDs and prefixes, never the keys).")
  static final class ListKeys extends AdminSubcommand {
    @Option(
        names = "--tenant",
        required = true,
        paramLabel = "TENANT",
        description = "The tenant's ID or name.")
    String tenant;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    private Instant now;

    @Override
    void prepare(AdminCommand root) {
      now = root.clock().instant();
    }

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      List<ApiKeyInfo> keys = admin.listAllKeys(AdminCommand.tenant(admin, tenant).id());
      if (json) {
        AdminOutput.json(out, keys.stream().map(key -> AdminOutput.key(key, now)).toList());
      } else {
        AdminOutput.keyTable(out, keys, now);
      }
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revokes a key: every API instance refuses it (401) within its key cache time.")
  static final class Revoke extends AdminSubcommand {
    @Parameters(paramLabel = "KEY_ID", description = "The key's ID (key_...), from keys list.")
    String keyId;

    @Override
    void prepare(AdminCommand root) {
      if (!keyId.startsWith("key_")) {
        throw new IllegalArgumentException(
            "KEY_ID must be a key's ID (key_..., see `sluice admin keys list`), not the key");
      }
    }

    @Override
    void run(TenantAdmin admin, PrintWriter out, PrintWriter err) {
      ApiKeyInfo key =
          admin
              .revokeKey(keyId)
              .orElseThrow(() -> new AdminException("no key with the ID '" + keyId + "'"));
      out.println(
          "revoked key " + key.id() + " of tenant " + key.tenantId() + " at " + key.revokedAt());
    }
  }
}
