package io.omninode.bridge.adapter.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

import java.util.List;

/**
 * A request from this instance's Kafka consumer to an operation verticle, sent point to point and by
 * reference (the JSON codec would copy every request). Its result does not come back as a reply
 * message: the operation hands the results of one statement to {@link #replies()} together, which
 * takes them to the sender's own context in one hop. A reply message per event cost a reply address,
 * a registered handler and a timer each, a large share of an event's cost in the profile. Local only:
 * it never crosses the network; the operation addresses still take and answer JSON from anywhere.
 *
 * @param tag     the sender's own handle on the request, given back with its result
 * @param replies where the result goes
 * @param source  the Kafka record the request comes from, and the how-manieth attempt this is
 */
public record LocalCall(OperationRequest request, Object tag, Replies replies, Source source) {

  /** A request's Kafka record (topic and partition) and its attempt, 1 for the first: for the logs. */
  public record Source(String topic, int partition, int attempt) {
  }

  /** Where results of local calls go; called on the operation's thread, so it hops to its own context. */
  public interface Replies {
    void accept(List<LocalCall> calls, List<OperationResult> results);
  }

  /** Registers the by-reference codec of {@link LocalCall}, selected by type. */
  public static void registerCodecs(EventBus eventBus) {
    eventBus.registerDefaultCodec(LocalCall.class, new ByReference<>("bridge-local-call"));
  }

  public static void unregisterCodecs(EventBus eventBus) {
    eventBus.unregisterDefaultCodec(LocalCall.class);
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
