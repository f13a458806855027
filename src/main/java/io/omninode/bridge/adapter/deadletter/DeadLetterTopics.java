package io.omninode.bridge.adapter.deadletter;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Creates the dead-letter topics that do not exist yet, in the background, retrying with backoff
 * until the broker answers: the consumer does not wait for it, and a dead-letter write before the
 * topics exist is retried like any failed write. Confined to the context that created it.
 */
public final class DeadLetterTopics {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterTopics.class);
  private static final int ADMIN_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final Context context;
  private final KafkaSettings settings;
  private final ResilienceSettings resilience;
  private final Admin admin;
  private long retryTimer = -1;
  private boolean stopped;
  private Future<Void> closed;

  private DeadLetterTopics(Vertx vertx, KafkaSettings settings, ResilienceSettings resilience) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.settings = settings;
    this.resilience = resilience;
    this.admin = Admin.create(settings.clientConfig());
  }

  /** Starts checking and creating the topics; returns at once. */
  public static DeadLetterTopics ensure(Vertx vertx, KafkaSettings settings, ResilienceSettings resilience) {
    DeadLetterTopics topics = new DeadLetterTopics(vertx, settings, resilience);
    topics.attempt(0);
    return topics;
  }

  /** Gives up quietly: whatever was under way fails and is not reported. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(retryTimer);
    return close();
  }

  private void attempt(int attempt) {
    createMissing()
        .onSuccess(this::created)
        .onFailure(failure -> retryLater(attempt, failure));
  }

  private Future<List<String>> createMissing() {
    return fromKafka(admin.listTopics(new ListTopicsOptions().timeoutMs(ADMIN_TIMEOUT_MS)).names())
        .compose(existing -> create(missing(existing)));
  }

  private List<NewTopic> missing(Set<String> existing) {
    return settings.topics().stream().map(settings::deadLetterTopic)
        .filter(topic -> !existing.contains(topic))
        .map(topic -> new NewTopic(topic, Optional.of(settings.deadLetterPartitions()), Optional.empty()))
        .toList();
  }

  /** Another instance may create them at the same moment: a topic that exists is what was wanted. */
  private Future<List<String>> create(List<NewTopic> topics) {
    List<String> names = topics.stream().map(NewTopic::name).toList();
    if (topics.isEmpty()) {
      return Future.succeededFuture(names);
    }
    return fromKafka(admin.createTopics(topics, new CreateTopicsOptions().timeoutMs(ADMIN_TIMEOUT_MS)).all())
        .recover(failure -> failure instanceof TopicExistsException ? Future.succeededFuture() : Future.failedFuture(failure))
        .map(names);
  }

  private void created(List<String> names) {
    if (!stopped) {
      log.atInfo().addKeyValue("created", names).log("Dead-letter topics ready");
    }
    close();
  }

  private void retryLater(int attempt, Throwable failure) {
    if (stopped) {
      return;
    }
    if (attempt == 0) {
      log.warn("Dead-letter topics not checked yet, retrying until the broker answers: {}", failure.toString());
    }
    retryTimer = vertx.setTimer(resilience.retryDelayMs(attempt), id -> attempt(attempt + 1));
  }

  /** Closing waits for the admin client's thread: not on the event loop. */
  private Future<Void> close() {
    if (closed == null) {
      closed = vertx.executeBlocking(() -> {
        admin.close(Duration.ZERO);
        return null;
      });
    }
    return closed;
  }

  /** A derived KafkaFuture (names(), all()) fails with its cause wrapped in a CompletionException. */
  private <T> Future<T> fromKafka(KafkaFuture<T> future) {
    return Future.fromCompletionStage(future.toCompletionStage(), context).recover(failure ->
        Future.failedFuture(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
  }
}
