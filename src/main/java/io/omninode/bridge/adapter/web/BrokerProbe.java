package io.omninode.bridge.adapter.web;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * Whether the Kafka cluster answers, asked of a long-lived admin client without blocking: the
 * consumer alone cannot tell "no partitions yet" from "no broker".
 */
final class BrokerProbe {

  /** Under the health procedure's own timeout, so that the procedure reports this probe's reason. */
  private static final int TIMEOUT_MS = 1_500;

  private final Context context;
  private final Admin admin;
  private final String bootstrapServers;

  BrokerProbe(Context context, KafkaSettings settings) {
    this.context = context;
    this.admin = Admin.create(settings.clientConfig());
    this.bootstrapServers = settings.bootstrapServers();
  }

  /** Succeeds when the cluster describes itself in time; fails with a message naming the bootstrap servers. */
  Future<Void> reach() {
    var clusterId = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).clusterId();
    return Future.fromCompletionStage(clusterId.toCompletionStage(), context)
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(describe(failure)));
  }

  private String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof TimeoutException ? "broker unreachable at " + bootstrapServers
        : "broker at " + bootstrapServers + " failed: " + cause.getMessage();
  }

  /** Closing waits for the admin client's thread: not on the event loop. */
  Future<Void> close() {
    return context.owner().executeBlocking(() -> {
      admin.close(Duration.ZERO);
      return null;
    });
  }
}
