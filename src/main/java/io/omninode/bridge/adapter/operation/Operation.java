package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * One of the six database operations: the row a request becomes, and how a batch of rows is
 * written. Data and SQL only; {@code batching.OperationVerticle} runs any of them.
 *
 * @param <R> the validated row one request becomes
 */
public interface Operation<R> {

  /** The six, in the order they are deployed, sharing what they know of workflow rows. */
  static List<Operation<?>> all() {
    Workflows workflows = new Workflows();
    return List.of(new PersistWorkflowExecution(workflows), new PersistWorkflowStep(workflows),
        new PersistMetadataStamp(workflows), new PersistFsmTransition(), new PersistBridgeState(),
        new UpdateNodeHeartbeat());
  }

  OperationType type();

  /** Validates one request into the row it will write; throws {@code ValidationException}. */
  R toRow(OperationRequest request);

  /** Writes the rows in as few round trips as possible; rows affected per row, in order. */
  Future<int[]> persist(Pool pool, List<R> rows);
}
