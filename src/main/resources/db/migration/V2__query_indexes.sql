-- Indexes the adapter's statements and the usual look-ups need; the unique and primary keys
-- already cover the ON CONFLICT targets (correlation_id, bridge_id, node_id, id).
CREATE INDEX IF NOT EXISTS idx_workflow_steps_workflow_id ON workflow_steps (workflow_id);
CREATE INDEX IF NOT EXISTS idx_metadata_stamps_workflow ON metadata_stamps (workflow_correlation_id);
CREATE INDEX IF NOT EXISTS idx_fsm_transitions_entity ON fsm_transitions (entity_id, created_at);
