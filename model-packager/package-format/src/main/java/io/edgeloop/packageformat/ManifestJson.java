package io.edgeloop.packageformat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Reads and writes manifests. {@link #canonicalBytes} is the one serialisation that is signed and
 * stored: object keys sorted, no insignificant whitespace, UTF-8. Verification checks the stored
 * bytes as they are and only parses them afterwards, so the serialisation never has to be
 * reproduced byte for byte by a reader.
 */
public final class ManifestJson {
    // The fast double parser (exact, like Double.parseDouble) halves the time to read a drift
    // baseline's thousands of numbers, which an agent reads at every start.
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.INDENT_OUTPUT);

    private ManifestJson() {
    }

    /** The canonical bytes of a manifest: what {@code manifest.json} holds and the signature covers. */
    public static byte[] canonicalBytes(Manifest manifest) {
        return canonicalBytes((JsonNode) MAPPER.valueToTree(manifest));
    }

    /** Canonical bytes of any JSON tree: keys sorted at every level, compact, UTF-8. */
    public static byte[] canonicalBytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(sorted(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** The format version a manifest declares, read before anything else is interpreted. */
    public static int formatVersion(byte[] manifestBytes) throws PackageException {
        return formatVersion(tree(manifestBytes));
    }

    static int formatVersion(JsonNode tree) throws PackageException {
        JsonNode version = tree.get("formatVersion");
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber()) {
            throw new PackageException(ErrorCode.PACKAGE_MANIFEST_INVALID,
                    "manifest.json has no integer 'formatVersion'");
        }
        return version.intValue();
    }

    /** Parses manifest bytes; any JSON or shape problem is {@code PACKAGE_MANIFEST_INVALID}. */
    public static Manifest parse(byte[] manifestBytes) throws PackageException {
        return parse(tree(manifestBytes));
    }

    /**
     * Binds a tree read by {@link #tree}: a verifier reads the format version and the manifest from
     * one tree (a manifest with a drift baseline is about 100 KB of numbers; reading it twice cost a
     * restart a few milliseconds of CPU).
     */
    static Manifest parse(JsonNode tree) throws PackageException {
        try {
            return MAPPER.treeToValue(tree, Manifest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PackageException(ErrorCode.PACKAGE_MANIFEST_INVALID,
                    "manifest.json does not have the expected shape: " + rootMessage(e), e);
        }
    }

    /** Pretty JSON for people (inspect), never for signing. */
    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value could not be written as JSON", e);
        }
    }

    /**
     * The shared mapper, configured like the manifest's (records, unknown fields ignored): also for
     * other documents that carry a manifest's parts, like the agent's stored model descriptors.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The manifest's JSON tree; {@code PACKAGE_MANIFEST_INVALID} when it is not a JSON object. */
    static JsonNode tree(byte[] bytes) throws PackageException {
        try {
            JsonNode tree = MAPPER.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw new PackageException(ErrorCode.PACKAGE_MANIFEST_INVALID, "manifest.json is not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new PackageException(ErrorCode.PACKAGE_MANIFEST_INVALID,
                    "manifest.json is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
