package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The circuit breaker in front of PostgreSQL, one per Vert.x instance, shared by every operation
 * verticle. Only database trouble counts as a failure: a batch refused for one event's values
 * says nothing about the database's health. Listeners learn each state change (the Kafka consumer
 * pauses while the breaker is open).
 */
public final class DatabaseBreaker {

  private static final Logger log = LoggerFactory.getLogger(DatabaseBreaker.class);

  private final CircuitBreaker breaker;
  private final List<Consumer<CircuitBreakerState>> listeners = new CopyOnWriteArrayList<>();

  public DatabaseBreaker(Vertx vertx, ResilienceSettings settings) {
    breaker = CircuitBreaker.create("database", vertx, new CircuitBreakerOptions()
            .setMaxFailures(settings.breakerMaxFailures())
            .setResetTimeout(settings.breakerResetTimeoutMs())
            .setTimeout(settings.breakerCallTimeoutMs())
            .setNotificationAddress(null))
        .failurePolicy(DatabaseBreaker::isDatabaseFailure)
        .openHandler(v -> changed(CircuitBreakerState.OPEN))
        .halfOpenHandler(v -> changed(CircuitBreakerState.HALF_OPEN))
        .closeHandler(v -> changed(CircuitBreakerState.CLOSED));
  }

  /** Runs a database call through the breaker; fails with {@code OpenCircuitException} while open. */
  public <T> Future<T> execute(Supplier<Future<T>> call) {
    return breaker.execute(call);
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /** The state as a gauge value: 0 closed, 1 half-open, 2 open. */
  public int stateValue() {
    return switch (breaker.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** Called on the thread that changed the state; a verticle hops back onto its own context. */
  public void onStateChange(Consumer<CircuitBreakerState> listener) {
    listeners.add(listener);
  }

  public void close() {
    breaker.close();
  }

  private void changed(CircuitBreakerState state) {
    log.atLevel(state == CircuitBreakerState.OPEN ? org.slf4j.event.Level.WARN : org.slf4j.event.Level.INFO)
        .addKeyValue("state", state).log("Database circuit breaker changed state");
    listeners.forEach(listener -> listener.accept(state));
  }

  private static boolean isDatabaseFailure(Future<?> outcome) {
    return outcome.failed() && SqlErrors.classify(outcome.cause()).isTransient();
  }
}
