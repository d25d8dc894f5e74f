package io.edgeloop.server.audit;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A filter over the audit log, newest first. {@code target} matches exactly, or as a prefix when
 * it ends in {@code *} ({@code device:*}); {@code actor} matches the token id or name.
 */
public record AuditQuery(String target, String actor, Instant since, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
    }

    /** From query parameters as the REST API and CLI give them (each may be null). */
    public static AuditQuery parse(String target, String actor, String since, String limit) throws EdgeLoopException {
        Instant from;
        try {
            from = since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "since must be an ISO-8601 instant such as "
                    + "2026-01-31T12:00:00Z, not '" + since + "'");
        }
        int n;
        try {
            n = limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit);
            return new AuditQuery(blankToNull(target), blankToNull(actor), from, n);
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "limit must be a number from 1 to " + MAX_LIMIT
                    + ", not '" + limit + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
