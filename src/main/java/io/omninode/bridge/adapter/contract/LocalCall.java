package io.omninode.bridge.adapter.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * A request from this instance's Kafka consumer to an operation verticle. It travels by reference:
 * the JSON codec would copy every request and every reply, which the profile showed as a large
 * share of the cost per event. Its reply is the {@link OperationResult} itself. Local only: it
 * never crosses the network, and the operation addresses still take and answer JSON from anywhere.
 */
public record LocalCall(OperationRequest request) {

  /** Registers the by-reference codecs of {@link LocalCall} and {@link OperationResult}, selected by type. */
  public static void registerCodecs(EventBus eventBus) {
    eventBus.registerDefaultCodec(LocalCall.class, new ByReference<>("bridge-local-call"));
    eventBus.registerDefaultCodec(OperationResult.class, new ByReference<>("bridge-operation-result"));
  }

  public static void unregisterCodecs(EventBus eventBus) {
    eventBus.unregisterDefaultCodec(LocalCall.class);
    eventBus.unregisterDefaultCodec(OperationResult.class);
  }

  /** Hands immutable messages over as they are; refuses the wire. */
  private record ByReference<T>(String name) implements MessageCodec<T, T> {

    @Override
    public void encodeToWire(Buffer buffer, T message) {
      throw new UnsupportedOperationException(name + " is local only");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException(name + " is local only");
    }

    @Override
    public T transform(T message) {
      return message;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
