package io.omninode.bridge.adapter.contract;

/**
 * An exception thrown by the adapter's own code while it handled an event, wrapped where it was
 * caught: the event's permanent failure ({@link ErrorType#PROCESSING_ERROR}), never the database's.
 */
public final class ProcessingFailure extends RuntimeException {

  public ProcessingFailure(Throwable cause) {
    super(cause.toString(), cause);
  }
}
