package io.omninode.bridge.adapter.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * The deliveries whose results have not come back yet, oldest first: an intrusive list, so that
 * sending and answering cost a few pointer writes and no timer (a result that never comes is found by
 * {@link #expired}, swept about once a second). Event-loop confined.
 */
final class AwaitingResults {

  private Delivery oldest;
  private Delivery newest;

  void add(Delivery delivery, long nowNanos) {
    delivery.sentAtNanos = nowNanos;
    delivery.awaited = true;
    delivery.older = newest;
    delivery.newer = null;
    if (newest != null) {
      newest.newer = delivery;
    } else {
      oldest = delivery;
    }
    newest = delivery;
  }

  /** False when the delivery was not awaited any more (its result came too late, after it expired). */
  boolean remove(Delivery delivery) {
    if (!delivery.awaited) {
      return false;
    }
    delivery.awaited = false;
    if (delivery.older != null) {
      delivery.older.newer = delivery.newer;
    } else {
      oldest = delivery.newer;
    }
    if (delivery.newer != null) {
      delivery.newer.older = delivery.older;
    } else {
      newest = delivery.older;
    }
    delivery.older = null;
    delivery.newer = null;
    return true;
  }

  /** Takes out and returns the deliveries sent more than {@code timeoutNanos} ago. */
  List<Delivery> expired(long nowNanos, long timeoutNanos) {
    List<Delivery> expired = new ArrayList<>();
    while (oldest != null && nowNanos - oldest.sentAtNanos > timeoutNanos) {
      Delivery delivery = oldest;
      remove(delivery);
      expired.add(delivery);
    }
    return expired;
  }

  boolean isEmpty() {
    return oldest == null;
  }
}
