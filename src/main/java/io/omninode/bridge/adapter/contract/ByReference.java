package io.omninode.bridge.adapter.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** A codec for messages that stay in this JVM: hands them over as they are, and refuses the wire. */
record ByReference<M>(String name) implements MessageCodec<M, M> {

  @Override
  public void encodeToWire(Buffer buffer, M message) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public M decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public M transform(M message) {
    return message;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
