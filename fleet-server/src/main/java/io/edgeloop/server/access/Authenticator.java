package io.edgeloop.server.access;

import io.edgeloop.protocol.EdgeLoopException;

import java.util.Optional;

/**
 * Turns a presented bearer token into who presented it. The HTTP layer asks this; the token store
 * ({@code auth.ApiTokens}) answers, so routing code does not depend on how tokens are kept.
 */
@FunctionalInterface
public interface Authenticator {
    /** The actor a token belongs to, or empty when it is unknown, revoked or expired. */
    Optional<Actor> authenticate(String presented) throws EdgeLoopException;
}
