package io.omninode.bridge.adapter;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@DisplayName("The main verticle's start, in steps that a stop cuts short")
class StartStepsTest {

  private final StartSteps start = new StartSteps();
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private Context context;

  @BeforeEach
  void context(Vertx vertx) {
    context = vertx.getOrCreateContext();
  }

  private Supplier<Future<?>> step(String name) {
    return step(name, Future.succeededFuture());
  }

  private Supplier<Future<?>> step(String name, Future<?> outcome) {
    return () -> {
      ran.add(name);
      return outcome;
    };
  }

  @Test
  @DisplayName("left alone, every step runs in order and the start succeeds")
  void everyStepRunsInOrder(VertxTestContext test) {
    start.run(context, List.of(step("migrate"), step("probe"), step("deploy")))
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertThat(ran).containsExactly("migrate", "probe", "deploy");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a stop lets the step under way finish, starts no other, and the start succeeds with what it has")
  void stopCutsTheStartShort(VertxTestContext test) {
    Promise<Void> migrations = Promise.promise();
    Future<Void> started = start.run(context, List.of(step("migrate", migrations.future()), step("deploy")));

    Future<Void> stopped = start.abort();
    assertThat(stopped.isComplete()).as("the stop waits for the step under way").isFalse();
    migrations.complete();

    Future.all(started, stopped).onComplete(test.succeeding(v -> test.verify(() -> {
      assertThat(ran).containsExactly("migrate");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("the stop ends once whoever waits on the start has seen it settle, a turn of its context later")
  void stopEndsAfterTheStartIsSeen(VertxTestContext test) {
    Promise<Void> migrations = Promise.promise();
    AtomicBoolean seen = new AtomicBoolean();
    // all on the start's context, as Vert.x's deployment is: what it does when the start settles runs a turn later
    context.runOnContext(now -> {
      start.run(context, List.of(step("migrate", migrations.future())))
          .onComplete(settled -> context.runOnContext(turn -> seen.set(true)));
      start.abort().onComplete(test.succeeding(v -> test.verify(() -> {
        assertThat(seen).as("the deployment saw the start settle before the stop went on").isTrue();
        test.completeNow();
      })));
      migrations.complete();
    });
  }

  @Test
  @DisplayName("a stop before the start began ends at once, and the start then runs no step")
  void stopBeforeTheStart() {
    Future<Void> stopped = start.abort();
    Future<Void> started = start.run(context, List.of(step("migrate")));

    assertThat(stopped.succeeded()).isTrue();
    assertThat(started.isComplete()).as("Vert.x's close fails this deployment").isFalse();
    assertThat(ran).isEmpty();
  }

  @Test
  @DisplayName("a step that fails fails the start, and no later step runs")
  void failedStepFailsTheStart(VertxTestContext test) {
    start.run(context, List.of(step("migrate", Future.failedFuture("database refused")), step("deploy")))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertThat(failure).hasMessage("database refused");
          assertThat(ran).containsExactly("migrate");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("the start runs once: a second main verticle is refused, not run beside the first")
  void secondStartIsRefused() {
    start.run(context, List.of(step("first")));

    Future<Void> second = start.run(context, List.of(step("second")));

    assertThat(second.failed()).isTrue();
    assertThat(second.cause()).hasMessageContaining("deployed once");
    assertThat(ran).containsExactly("first");
  }
}
