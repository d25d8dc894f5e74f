package io.edgeloop.server.packages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A package in the repository: its identity, content digest and size, who signed and uploaded
 * it; {@code manifest} is filled when one package is read, null in lists.
 */
public record StoredPackage(String name, String version, String sha256, long sizeBytes, String framework, String keyId,
                           String uploadedAt, String uploadedBy, JsonNode manifest) {
    public StoredPackage withoutManifest() {
        return new StoredPackage(name, version, sha256, sizeBytes, framework, keyId, uploadedAt, uploadedBy, null);
    }
}
