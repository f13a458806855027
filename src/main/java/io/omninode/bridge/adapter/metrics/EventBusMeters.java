package io.omninode.bridge.adapter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.micrometer.MetricsNaming;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The event bus's metrics: the series vertx-micrometer-metrics publishes ({@code vertx_eventbus_*},
 * labelled by address and, where it says so, side), with each address's meters looked up once
 * instead of once per message. vertx-micrometer-metrics 5.0.8 builds tags, a meter id and a registry
 * lookup (a gauge registration for {@code pending}) for every message sent and received, a cost paid
 * on every event when every event is a message (docs/performance.md). An address is labelled
 * as itself when a handler registered for it here or it is one of the adapter's own; any other (a
 * local sender's or a cluster peer's choice) as {@link BoundedLabels#OTHER_ADDRESS}.
 */
final class EventBusMeters implements EventBusMetrics<EventBusMeters.Side> {

  private static final String ADDRESS = "address";
  private static final String SIDE = "side";

  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final ConcurrentMap<String, Address> addresses = new ConcurrentHashMap<>();
  private final Address other;

  EventBusMeters(MeterRegistry registry, MetricsNaming names) {
    this.registry = registry;
    this.names = names;
    this.other = address(BoundedLabels.OTHER_ADDRESS);
  }

  /**
   * One address's meters, registered when first used, as vertx-micrometer-metrics does: the ones of
   * handlers when a handler registers, the others with the first message that needs them.
   */
  final class Address {
    final LongAdder handlerCount = new LongAdder();
    final LazyMeter<Gauge> handlers;
    final Side local;
    final Side remote;
    final LazyMeter<DistributionSummary> bytesRead;
    final LazyMeter<DistributionSummary> bytesWritten;
    final LazyMeter<Counter> replyFailures;

    Address(String address) {
      Tags tags = Tags.of(ADDRESS, address);
      handlers = gauge(names.getEbHandlers(), "Number of event bus handlers in use", tags, handlerCount);
      local = new Side(this, tags.and(SIDE, "local"));
      remote = new Side(this, tags.and(SIDE, "remote"));
      bytesRead = new LazyMeter<>(() -> DistributionSummary.builder(names.getEbBytesRead())
          .description("Number of bytes received while reading messages from event bus cluster peers")
          .tags(tags).register(registry));
      bytesWritten = new LazyMeter<>(() -> DistributionSummary.builder(names.getEbBytesWritten())
          .description("Number of bytes sent while sending messages to event bus cluster peers")
          .tags(tags).register(registry));
      replyFailures = counter(names.getEbReplyFailures(), "Number of message reply failures", tags);
    }

    Side side(boolean isLocal) {
      return isLocal ? local : remote;
    }

    /** What a handler's registration shows: the handlers, and each side's pending, processed and discarded. */
    void handlerRegistered() {
      handlers.get();
      handlerCount.increment();
      for (Side side : List.of(local, remote)) {
        side.pendingGauge.get();
        side.processed.get();
        side.discarded.get();
      }
    }
  }

  /** One address's meters on one side (local or remote). */
  final class Side {
    final Address owner;
    final LongAdder pending = new LongAdder();
    final LazyMeter<Gauge> pendingGauge;
    final LazyMeter<Counter> processed;
    final LazyMeter<Counter> discarded;
    final LazyMeter<Counter> sent;
    final LazyMeter<Counter> published;
    final LazyMeter<Counter> received;
    final LazyMeter<Counter> delivered;

    private Side(Address owner, Tags tags) {
      this.owner = owner;
      pendingGauge = gauge(names.getEbPending(), "Number of messages not processed yet", tags, pending);
      processed = counter(names.getEbProcessed(), "Number of processed messages", tags);
      discarded = counter(names.getEbDiscarded(), "Number of discarded messages", tags);
      sent = counter(names.getEbSent(), "Number of messages sent (point-to-point)", tags);
      published = counter(names.getEbPublished(), "Number of messages published (publish / subscribe)", tags);
      received = counter(names.getEbReceived(), "Number of messages received", tags);
      delivered = counter(names.getEbDelivered(), "Number of messages delivered to handlers", tags);
    }
  }

  private Address address(String address) {
    Address meters = addresses.get(address);
    return meters != null ? meters : addresses.computeIfAbsent(address, Address::new);
  }

  /** A message's address: its own meters if it has some or is the adapter's, else the folded address's. */
  private Address counted(String address) {
    Address meters = addresses.get(address);
    if (meters != null) {
      return meters;
    }
    return BoundedLabels.isKnownAddress(address) ? address(address) : other;
  }

  /** Vert.x's own addresses are not counted, as vertx-micrometer-metrics does not count them. */
  private static boolean isInternal(String address) {
    return address.startsWith("__vertx.");
  }

  private LazyMeter<Counter> counter(String name, String description, Tags tags) {
    return new LazyMeter<>(() -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  private LazyMeter<Gauge> gauge(String name, String description, Tags tags, LongAdder value) {
    return new LazyMeter<>(() -> Gauge.builder(name, value, LongAdder::doubleValue).description(description).tags(tags)
        .strongReference(true).register(registry));
  }

  /** The handler's meters: its address's local side (the remote side is reached through it). */
  @Override
  public Side handlerRegistered(String address) {
    if (isInternal(address)) {
      return null;
    }
    Address meters = address(address);
    meters.handlerRegistered();
    return meters.local;
  }

  @Override
  public void handlerUnregistered(Side handler) {
    if (handler != null) {
      handler.owner.handlerCount.decrement();
    }
  }

  @Override
  public void messageDelivered(Side handler, boolean local) {
    if (handler != null) {
      Side side = handler.owner.side(local);
      side.pending.decrement();
      side.processed.get().increment();
    }
  }

  @Override
  public void discardMessage(Side handler, boolean local, Message<?> msg) {
    if (handler != null) {
      Side side = handler.owner.side(local);
      side.pending.decrement();
      side.discarded.get().increment();
    }
  }

  @Override
  public void messageSent(String address, boolean publish, boolean local, boolean remote) {
    if (!isInternal(address)) {
      Side side = counted(address).side(local);
      (publish ? side.published : side.sent).get().increment();
    }
  }

  @Override
  public void messageReceived(String address, boolean publish, boolean local, int handlers) {
    if (!isInternal(address)) {
      Side side = counted(address).side(local);
      side.received.get().increment();
      if (handlers > 0) {
        side.pendingGauge.get();
        side.pending.add(handlers);
        side.delivered.get().increment();
      }
    }
  }

  @Override
  public void messageWritten(String address, int numberOfBytes) {
    if (!isInternal(address)) {
      counted(address).bytesWritten.get().record(numberOfBytes);
    }
  }

  @Override
  public void messageRead(String address, int numberOfBytes) {
    if (!isInternal(address)) {
      counted(address).bytesRead.get().record(numberOfBytes);
    }
  }

  @Override
  public void replyFailure(String address, ReplyFailure failure) {
    if (!isInternal(address)) {
      counted(address).replyFailures.get().increment();
    }
  }
}
