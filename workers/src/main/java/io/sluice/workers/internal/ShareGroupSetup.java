package io.sluice.workers.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Sets the share group's configuration before any consumer subscribes: read from the earliest
 * offset (the default {@code latest} would skip tasks queued before the first worker started), the
 * record lock duration, and the delivery count limit.
 */
public final class ShareGroupSetup {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private ShareGroupSetup() {}

  public static void apply(
      String bootstrapServers,
      String groupId,
      Duration lockDuration,
      int deliveryLimit,
      Map<String, String> clientProperties) {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    List<AlterConfigOp> ops = new ArrayList<>();
    ops.add(set("share.auto.offset.reset", "earliest"));
    ops.add(set("share.delivery.count.limit", Integer.toString(deliveryLimit)));
    if (lockDuration != null) {
      ops.add(set("share.record.lock.duration.ms", Long.toString(lockDuration.toMillis())));
    }
    ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
    try (Admin admin = Admin.create(config)) {
      admin
          .incrementalAlterConfigs(Map.of(group, ops))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while configuring share group " + groupId, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot configure share group "
              + groupId
              + " on "
              + bootstrapServers
              + " (share.record.lock.duration.ms / share.delivery.count.limit must be within the"
              + " broker's group.share.* bounds; the default 5 min lock needs"
              + " group.share.max.record.lock.duration.ms >= 300000 on the brokers, or set the"
              + " workers' lockDuration lower): "
              + cause.getMessage(),
          cause);
    }
  }

  private static AlterConfigOp set(String name, String value) {
    return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
  }
}
