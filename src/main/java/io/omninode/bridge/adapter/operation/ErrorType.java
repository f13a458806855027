package io.omninode.bridge.adapter.operation;

/** Why an operation failed, and whether trying again can help. */
public enum ErrorType {
  /** The event breaks the contract (missing field, bad UUID, too long...). Permanent. */
  VALIDATION_ERROR(false),
  /** PostgreSQL refused this event's values (SQLSTATE class 22 or 23). Permanent. */
  DATA_ERROR(false),
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
