package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.JsonText;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** STATE_TRANSITION -> fsm_transitions: append-only, one row per event, id derived from the event. */
public final class PersistFsmTransition implements Operation<PersistFsmTransition.Transition> {

  static final String INSERT_TRANSITIONS = """
      INSERT INTO fsm_transitions
        (id, entity_id, entity_type, from_state, to_state, transition_event, transition_data, created_at)
      SELECT t.id, t.entity_id, t.entity_type, t.from_state, t.to_state, t.transition_event,
             t.transition_data::jsonb, t.created_at
      FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                  $8::timestamptz[])
        AS t(id, entity_id, entity_type, from_state, to_state, transition_event, transition_data, created_at)
      ON CONFLICT (id) DO NOTHING
      RETURNING id
      """;

  /** One transition row. */
  record Transition(UUID id, UUID entityId, String entityType, String fromState, String toState,
      String transitionEvent, JsonText transitionData, OffsetDateTime createdAt) {
  }

  @Override
  public OperationType type() {
    return OperationType.PERSIST_FSM_TRANSITION;
  }

  @Override
  public Transition toRow(OperationRequest request) {
    Fields data = request.data();
    return new Transition(
        request.rowId("fsm_transitions"),
        data.requiredUuid("entity_id"),
        data.requiredIdentifier("entity_type", 100),
        data.optionalString("from_state", 50),
        data.requiredString("to_state", 50),
        data.requiredString("transition_event", 100),
        data.unmapped(data.optionalObject("transition_data")),
        request.eventTime());
  }

  @Override
  public Future<int[]> persist(Pool pool, List<Transition> rows) {
    Tuple columns = Tuple.of(
        Unnest.uuids(rows, Transition::id),
        Unnest.uuids(rows, Transition::entityId),
        Unnest.strings(rows, Transition::entityType),
        Unnest.strings(rows, Transition::fromState),
        Unnest.strings(rows, Transition::toState),
        Unnest.strings(rows, Transition::transitionEvent),
        Unnest.jsons(rows, Transition::transitionData),
        Unnest.timestamps(rows, Transition::createdAt));
    return pool.preparedQuery(INSERT_TRANSITIONS).execute(columns)
        .map(returned -> Unnest.affected(rows, Transition::id, returned, UUID.class));
  }
}
