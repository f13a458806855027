package io.omninode.bridge.adapter.contract;

/**
 * Why an event or an operation failed, end to end: in replies, dead-letter records, logs and
 * metrics. Permanent errors are the event's fault (dead-lettered); transient ones the database's
 * or the adapter's (retried, never dead-lettered).
 */
public enum ErrorType {
  /** The Kafka value is not a JSON object (or is empty). Permanent. */
  INVALID_JSON(false),
  /** The envelope names no event type this adapter knows. Permanent. */
  UNKNOWN_EVENT_TYPE(false),
  /** The event breaks the contract (missing field, bad UUID, too long...). Permanent. */
  VALIDATION_ERROR(false),
  /** PostgreSQL refused this event's values (SQLSTATE class 22 or 23). Permanent. */
  DATA_ERROR(false),
  /**
   * The adapter itself failed on this event (an exception in its own code, logged once with its stack
   * trace). Permanent for this run: the event is dead-lettered, to be redriven once the cause is fixed.
   */
  PROCESSING_ERROR(false),
  /** The database is unreachable, overloaded or busy; the same event will succeed later. */
  DATABASE_UNAVAILABLE(true),
  /** The circuit breaker is open: the database was not even tried. */
  CIRCUIT_OPEN(true),
  /** The operation verticle is stopping and takes no new work; another instance (or a restart) will. */
  SHUTTING_DOWN(true);

  private final boolean transientFailure;

  ErrorType(boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
