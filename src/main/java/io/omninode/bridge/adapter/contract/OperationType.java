package io.omninode.bridge.adapter.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The six database operations: wire name, the payload object that carries the data, address. */
public enum OperationType {
  PERSIST_WORKFLOW_EXECUTION("workflow_execution_data", Addresses.PERSIST_WORKFLOW_EXECUTION),
  PERSIST_WORKFLOW_STEP("workflow_step_data", Addresses.PERSIST_WORKFLOW_STEP),
  PERSIST_BRIDGE_STATE("bridge_state_data", Addresses.PERSIST_BRIDGE_STATE),
  PERSIST_FSM_TRANSITION("fsm_transition_data", Addresses.PERSIST_FSM_TRANSITION),
  PERSIST_METADATA_STAMP("metadata_stamp_data", Addresses.PERSIST_METADATA_STAMP),
  UPDATE_NODE_HEARTBEAT("node_heartbeat_data", Addresses.UPDATE_NODE_HEARTBEAT);

  private final String dataField;
  private final String address;

  OperationType(String dataField, String address) {
    this.dataField = dataField;
    this.address = address;
  }

  /** The name used in JSON: {@code persist_workflow_step}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String dataField() {
    return dataField;
  }

  public String address() {
    return address;
  }

  public static Optional<OperationType> fromWireName(String name) {
    return Arrays.stream(values()).filter(type -> type.wireName().equals(name)).findFirst();
  }
}
