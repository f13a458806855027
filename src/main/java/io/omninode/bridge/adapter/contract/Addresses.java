package io.omninode.bridge.adapter.contract;

import java.util.List;

/** Event-bus addresses of the adapter. */
public final class Addresses {

  public static final String PERSIST_WORKFLOW_EXECUTION = "bridge.db.persist_workflow_execution";
  public static final String PERSIST_WORKFLOW_STEP = "bridge.db.persist_workflow_step";
  public static final String PERSIST_BRIDGE_STATE = "bridge.db.persist_bridge_state";
  public static final String PERSIST_FSM_TRANSITION = "bridge.db.persist_fsm_transition";
  public static final String PERSIST_METADATA_STAMP = "bridge.db.persist_metadata_stamp";
  public static final String UPDATE_NODE_HEARTBEAT = "bridge.db.update_node_heartbeat";

  /** Local-only: the Kafka consumer's counters, for the web verticle and tests. */
  public static final String INGEST_STATS = "bridge.ingest.stats";

  /** Every address above. */
  public static final List<String> ALL = List.of(PERSIST_WORKFLOW_EXECUTION, PERSIST_WORKFLOW_STEP,
      PERSIST_BRIDGE_STATE, PERSIST_FSM_TRANSITION, PERSIST_METADATA_STAMP, UPDATE_NODE_HEARTBEAT, INGEST_STATS);

  private Addresses() {
  }
}
