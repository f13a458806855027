package io.omninode.bridge.adapter.contract;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(VertxExtension.class)
@DisplayName("A result finds its way back to the sender's context; an overdue one is reported once and then dropped")
class ResultPathTest {

  private static final OperationType TYPE = OperationType.PERSIST_BRIDGE_STATE;

  private final ConcurrentLinkedQueue<Message<Object>> held = new ConcurrentLinkedQueue<>();
  private final List<String> settled = new CopyOnWriteArrayList<>();
  private final List<String> missing = new CopyOnWriteArrayList<>();

  private static ResultPath.Call<String> call() {
    return new ResultPath.Call<>(null, null, null, null);
  }

  private static OperationRequest request() {
    return new OperationRequest(TYPE, UUID.randomUUID(), UUID.randomUUID(), null, null, null);
  }

  private static OperationResult persisted() {
    return OperationResult.persisted(TYPE, null, 1, 1);
  }

  /** An operation that holds what it is sent; the path's sender on {@code sender}. */
  private ResultPath<String> path(Vertx vertx, Context sender, long timeoutMs) {
    ResultPath.registerCodecs(vertx.eventBus());
    vertx.eventBus().consumer(TYPE.address(), held::add);
    return new ResultPath<>(vertx, sender, timeoutMs,
        (tag, result) -> settled.add(tag + (Vertx.currentContext() == sender ? " on the sender's context" : " elsewhere")),
        (tag, reason) -> missing.add(tag + ": " + reason));
  }

  @Test
  @DisplayName("only calls sent longer ago than the timeout expire, oldest first; answered ones never")
  void expiresOnlyTheOldUnanswered() {
    ResultPath.Awaiting<String> awaiting = new ResultPath.Awaiting<>();
    ResultPath.Call<String> first = call();
    ResultPath.Call<String> second = call();
    ResultPath.Call<String> third = call();
    awaiting.add(first, 100);
    awaiting.add(second, 200);
    awaiting.add(third, 300);

    assertThat(awaiting.remove(first)).isTrue();
    assertThat(awaiting.expired(1_000, 750)).containsExactly(second);
    assertThat(awaiting.expired(1_000, 0)).containsExactly(third);
    assertThat(awaiting.expired(Long.MAX_VALUE, 0)).as("nothing left").isEmpty();
  }

  @Test
  @DisplayName("a result that comes after its call expired is not taken")
  void lateResultIsRefused() {
    ResultPath.Awaiting<String> awaiting = new ResultPath.Awaiting<>();
    ResultPath.Call<String> late = call();
    awaiting.add(late, 0);
    awaiting.expired(10, 5);

    assertThat(awaiting.remove(late)).isFalse();
  }

  @Test
  @DisplayName("the results of one statement come back to the sender's own context, each to the handle it was sent with")
  void resultsComeBackOnTheSendersContext(Vertx vertx) {
    Context sender = vertx.getOrCreateContext();
    ResultPath<String> path = path(vertx, sender, 60_000);
    sender.runOnContext(v -> List.of("a", "b", "c").forEach(tag -> path.send(request(), null, tag)));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);

    List<Message<Object>> statement = new ArrayList<>(held);
    ResultPath.answer(statement, List.of(persisted(), persisted(), persisted()));

    await().atMost(Duration.ofSeconds(10)).until(() -> settled.size() == 3);
    assertThat(settled).containsExactly("a on the sender's context", "b on the sender's context",
        "c on the sender's context");
    assertThat(statement).allSatisfy(message -> assertThat(message.body()).isInstanceOf(ResultPath.Call.class));
  }

  @Test
  @DisplayName("a call without a result within the timeout is reported missing once, and its late result is dropped")
  void overdueCallIsMissingOnceAndItsLateResultDropped(Vertx vertx, VertxTestContext test) {
    Context sender = vertx.getOrCreateContext();
    ResultPath<String> path = path(vertx, sender, 1);
    sender.runOnContext(v -> path.send(request(), null, "slow"));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

    await().atMost(Duration.ofSeconds(10)).until(() -> {
      sender.runOnContext(v -> path.sweep());
      return !missing.isEmpty();
    });
    ResultPath.answer(List.of(held.poll()), List.of(persisted()));
    sender.runOnContext(v -> test.verify(() -> {
      path.sweep();
      assertThat(settled).as("the late result, handed over before this task, was dropped").isEmpty();
      assertThat(missing).containsExactly("slow: no result within 1 ms");
      test.completeNow();
    }));
  }

  @Test
  @DisplayName("a JSON request from anywhere else gets the result as a JSON reply")
  void jsonRequestGetsJsonReply(Vertx vertx, VertxTestContext test) {
    path(vertx, vertx.getOrCreateContext(), 60_000);
    OperationResult result = persisted();
    vertx.eventBus().<JsonObject>request(TYPE.address(), new JsonObject())
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertThat(reply.body()).isEqualTo(result.toJson());
          test.completeNow();
        })));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
    ResultPath.answer(List.of(held.poll()), List.of(result));
  }
}
