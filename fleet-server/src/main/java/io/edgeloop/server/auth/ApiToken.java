package io.edgeloop.server.auth;

import io.edgeloop.server.access.Actor;
import io.edgeloop.server.access.Role;
/** An API token as listed: never its secret, which is shown once when it is created. */
public record ApiToken(String id, String name, String role, String createdAt, String createdBy, String revokedAt) {
    public Actor actor() {
        return new Actor(id, name, Role.valueOf(role.toUpperCase(java.util.Locale.ROOT)));
    }
}
