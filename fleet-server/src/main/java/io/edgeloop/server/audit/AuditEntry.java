package io.edgeloop.server.audit;

import com.fasterxml.jackson.databind.JsonNode;

/** One recorded change: who, what (action on target), when, and the target before and after. */
public record AuditEntry(long id, String at, String actorId, String actorName, String action, String target,
                         JsonNode before, JsonNode after) {
}
