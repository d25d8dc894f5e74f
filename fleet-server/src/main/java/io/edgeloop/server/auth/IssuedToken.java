package io.edgeloop.server.auth;

/** A newly created API token with its secret, the only time the secret is seen. */
public record IssuedToken(String id, String name, String role, String createdAt, String token) {
}
