package io.omninode.bridge.adapter.metrics;

import java.util.function.Supplier;

/** A meter registered on first use; two threads registering it at once get the same meter. */
final class LazyMeter<M> {

  private final Supplier<M> register;
  private volatile M meter;

  LazyMeter(Supplier<M> register) {
    this.register = register;
  }

  M get() {
    M current = meter;
    if (current == null) {
      current = register.get();
      meter = current;
    }
    return current;
  }
}
