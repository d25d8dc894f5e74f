package io.edgeloop.agent.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code agent.yaml} over the defaults, then applies environment overrides: every setting
 * {@code section.someKey} can be set with {@code EDGELOOP_AGENT_SECTION_SOME_KEY} (top-level
 * {@code dataDir} with {@code EDGELOOP_AGENT_DATA_DIR}); lists take comma-separated values.
 * Unknown keys in the file are errors, so a typo never passes silently.
 */
public final class AgentConfigLoader {
    public static final Path DEFAULT_FILE = Path.of("/etc/edgeloop/agent.yaml");
    static final String ENV_PREFIX = "EDGELOOP_AGENT_";

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Loads {@code file} (may be null or absent: defaults only) with overrides from {@code env}. */
    public AgentConfig load(Path file, Map<String, String> env) throws EdgeLoopException {
        ObjectNode tree = yaml.valueToTree(AgentConfig.defaults());
        if (file != null && Files.exists(file)) {
            try {
                JsonNode fromFile = yaml.readTree(file.toFile());
                if (fromFile != null && !fromFile.isMissingNode() && !fromFile.isNull()) {
                    if (!fromFile.isObject()) {
                        throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, file + " must hold a YAML mapping");
                    }
                    merge(tree, (ObjectNode) fromFile, "");
                }
            } catch (IOException e) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        applyEnv(tree, env, "");
        try {
            return yaml.treeToValue(tree, AgentConfig.class);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "invalid agent configuration: " + e.getMessage(), e);
        }
    }

    private static void merge(ObjectNode into, ObjectNode from, String path) throws EdgeLoopException {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = path + f.getKey();
            if (!into.has(f.getKey())) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "unknown setting '" + key + "' in agent.yaml");
            }
            JsonNode existing = into.get(f.getKey());
            if (existing.isObject() && f.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) f.getValue(), key + ".");
            } else {
                into.set(f.getKey(), f.getValue());
            }
        }
    }

    private static void applyEnv(ObjectNode tree, Map<String, String> env, String prefix) {
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode node = tree.get(name);
            String envName = prefix + snake(name);
            if (node.isObject()) {
                applyEnv((ObjectNode) node, env, envName + "_");
                continue;
            }
            String value = env.get(ENV_PREFIX + envName);
            if (value != null) {
                if (node.isArray()) {
                    var array = tree.putArray(name);
                    for (String item : value.split(",")) {
                        if (!item.isBlank()) {
                            array.add(item.strip());
                        }
                    }
                } else {
                    // Text nodes coerce to numbers and booleans when bound.
                    tree.set(name, TextNode.valueOf(value));
                }
            }
        }
    }

    /** {@code maxDelayMicros} → {@code MAX_DELAY_MICROS}. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** The environment variable that overrides {@code section.key}. */
    public static String envName(String dottedKey) {
        StringBuilder out = new StringBuilder(ENV_PREFIX);
        String[] parts = dottedKey.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            out.append(i == 0 ? "" : "_").append(snake(parts[i]));
        }
        return out.toString();
    }
}
