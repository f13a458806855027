package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What becomes of an event the database could not take, which is never the event's fault: sent
 * again after a backoff (doubling, with jitter); while the circuit breaker is open, parked and sent
 * again when it half-opens; given up, never skipped, once it is no longer wanted (the consumer is
 * stopping or the event's partition moved), so that it is read again from the committed offset.
 * Event-loop confined.
 */
final class Redelivery {

  private static final Logger log = LoggerFactory.getLogger(Redelivery.class);

  private final Vertx vertx;
  private final ResilienceSettings settings;
  private final Consumer<Delivery> send;
  private final Consumer<Delivery> giveUp;
  private final List<Delivery> parked = new ArrayList<>();
  private boolean breakerOpen;

  Redelivery(Vertx vertx, ResilienceSettings settings, Consumer<Delivery> send, Consumer<Delivery> giveUp) {
    this.vertx = vertx;
    this.settings = settings;
    this.send = send;
    this.giveUp = giveUp;
  }

  /** The delivery failed for {@code reason}; {@code wanted} says whether its outcome still matters. */
  void retry(Delivery delivery, boolean wanted, String reason) {
    if (!wanted) {
      giveUp.accept(delivery);
      return;
    }
    if (breakerOpen) {
      parked.add(delivery.next());
      return;
    }
    long delay = settings.retryDelayMs(delivery.attempt());
    log.atDebug().addKeyValue("correlation_id", delivery.event().correlationId())
        .addKeyValue("event_id", delivery.event().eventId())
        .addKeyValue("attempt", delivery.attempt() + 1).addKeyValue("retry_in_ms", delay)
        .log("Event not persisted, will retry: {}", reason);
    vertx.setTimer(delay, id -> send.accept(delivery.next()));
  }

  /** Open: park what fails from now on. Half-open or closed: send the parked again (one batch probes). */
  void breakerChanged(boolean open) {
    breakerOpen = open;
    if (!open) {
      List<Delivery> waiting = new ArrayList<>(parked);
      parked.clear();
      waiting.forEach(send);
    }
  }

  boolean breakerOpen() {
    return breakerOpen;
  }

  /** Stopping: every parked delivery is given up. */
  void stop() {
    List<Delivery> waiting = new ArrayList<>(parked);
    parked.clear();
    waiting.forEach(giveUp);
  }
}
