package io.edgeloop.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Secrets;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.SqlTimes;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Short-lived download tokens bound to one device and one package digest: {@code eld_<payload>.<mac>}
 * with an HMAC-SHA256 over the payload ({@code {"d": deviceId, "p": sha256, "e": expiry}}). Nothing
 * is stored per token; the signing key is one row of {@code server_secrets}, so every replica
 * checks tokens every other replica minted.
 */
public final class DownloadTokens {
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    private static final String PREFIX = "eld_";
    private static final String SECRET_NAME = "download-token-hmac";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A minted token and when it stops working. */
    public record Minted(String token, String expiresAt) {
    }

    private final byte[] key;
    private final Clock clock;
    private final Duration ttl;

    public DownloadTokens(byte[] key, Clock clock, Duration ttl) {
        this.key = key.clone();
        this.clock = clock;
        this.ttl = ttl;
    }

    /** With the cluster's signing key, created by the first replica that needs it. */
    public static DownloadTokens shared(Database db, Clock clock, Duration ttl) throws EdgeLoopException {
        return new DownloadTokens(sharedKey(db, clock), clock, ttl);
    }

    public Minted mint(String deviceId, String sha256) {
        return mint(deviceId, sha256, clock.instant().plus(ttl));
    }

    /** A token that works until {@code expires} (a job document's: its deadline). */
    public Minted mint(String deviceId, String sha256, Instant expires) {
        ObjectNode payload = JSON.createObjectNode().put("d", deviceId).put("p", sha256).put("e", expires.getEpochSecond());
        String body = B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return new Minted(PREFIX + body + "." + B64.encodeToString(mac(body)), expires.toString());
    }

    /** Passes when the token was minted here for this device and package and has not expired. */
    public void check(String token, String deviceId, String sha256) throws EdgeLoopException {
        if (token == null || !token.startsWith(PREFIX) || token.indexOf('.') < 0) {
            throw invalid("no download token was given (?token= or 'Authorization: Bearer')");
        }
        String body = token.substring(PREFIX.length(), token.lastIndexOf('.'));
        byte[] given;
        JsonNode payload;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
            payload = JSON.readTree(Base64.getUrlDecoder().decode(body));
        } catch (Exception e) {
            throw invalid("the download token is malformed");
        }
        if (!MessageDigest.isEqual(given, mac(body))) {
            throw invalid("the download token's signature does not verify");
        }
        if (!payload.path("d").asText("").equals(deviceId)) {
            throw invalid("the download token was issued for another device");
        }
        if (!payload.path("p").asText("").equals(sha256)) {
            throw invalid("the download token was issued for another package");
        }
        Instant expires = Instant.ofEpochSecond(payload.path("e").asLong(0));
        if (!clock.instant().isBefore(expires)) {
            throw new EdgeLoopException(ErrorCode.DOWNLOAD_TOKEN_EXPIRED, "the download token expired at " + expires);
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    private static EdgeLoopException invalid(String why) {
        return new EdgeLoopException(ErrorCode.DOWNLOAD_TOKEN_INVALID, why);
    }

    private static byte[] sharedKey(Database db, Clock clock) throws EdgeLoopException {
        for (int attempt = 0; attempt < 2; attempt++) {
            byte[] existing = db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM server_secrets WHERE name = ?")) {
                    ps.setString(1, SECRET_NAME);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Base64.getDecoder().decode(rs.getString(1)) : null;
                    }
                }
            });
            if (existing != null) {
                return existing;
            }
            byte[] fresh = Secrets.randomBytes(32);
            try {
                db.transaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO server_secrets (name, secret, created_at) VALUES (?, ?, ?)")) {
                        ps.setString(1, SECRET_NAME);
                        ps.setString(2, Base64.getEncoder().encodeToString(fresh));
                        SqlTimes.set(ps, 3, clock.instant());
                        ps.executeUpdate();
                    }
                    return null;
                });
                return fresh;
            } catch (EdgeLoopException e) {
                if (!(e.getCause() instanceof SQLException)) {
                    throw e;
                }
                // Another replica inserted it first: read theirs.
            }
        }
        throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read or create the download-token key");
    }
}
