package io.edgeloop.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code agent.yaml} bound onto {@link AgentOptions}, generically over the record's components:
 * the defaults ({@link AgentOptions#DEFAULT}) as a tree, the file merged over it, then environment
 * overrides: every setting {@code section.someKey} can be set with
 * {@code EDGELOOP_AGENT_SECTION_SOME_KEY} (top-level {@code dataDir} with
 * {@code EDGELOOP_AGENT_DATA_DIR}); lists take comma-separated values. Unknown keys in the file
 * are errors, so a typo never passes silently; an {@code EDGELOOP_AGENT_*} variable that names no
 * setting is logged. The environment is a parameter: only {@code AgentMain} reads the process's.
 */
public final class AgentConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(AgentConfigFile.class);
    public static final Path DEFAULT_FILE = Path.of("/etc/edgeloop/agent.yaml");
    static final String ENV_PREFIX = "EDGELOOP_AGENT_";

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            // Paths as the operator writes them, not as file: URIs; durations in ISO-8601 (PT10S).
            .addModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, ToStringSerializer.instance)
                    .addDeserializer(Duration.class, new IsoDurationDeserializer()))
            .build();

    /**
     * Keys that older agent.yaml files still hold, by their full dotted name: renamed ones map to
     * the key now read (in the same or another section), removed ones to {@code ""}. Such a key is accepted with a
     * WARN that names what replaced it, instead of being refused as unknown.
     */
    static final Map<String, String> RENAMED = Map.of(
            "buffer.captureSampleRate", "capture.sampleRate",
            "drift.ksAlpha", "drift.alpha",
            "drift.psiThreshold", "",
            "drift.outputPsiThreshold", "");
    /** What a removed key's WARN says replaced it. */
    private static final Map<String, String> REMOVED_BECAUSE = Map.of(
            "drift.psiThreshold", "drift.alpha (the family-wise false-alarm rate of calibrated tests; PSI is"
                    + " reported as an effect size only)",
            "drift.outputPsiThreshold", "drift.alpha (the family-wise false-alarm rate of calibrated tests; PSI is"
                    + " reported as an effect size only)");

    private AgentConfigFile() {
    }

    /** Loads {@code file} (may be null or absent: defaults only) with overrides from {@code env}; not yet validated. */
    public static AgentOptions load(Path file, Map<String, String> env) throws EdgeLoopException {
        ObjectNode tree = YAML.valueToTree(AgentOptions.DEFAULT);
        if (file != null && Files.exists(file)) {
            JsonNode fromFile;
            try {
                fromFile = YAML.readTree(file.toFile());
            } catch (IOException e) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cannot read " + file + ": " + e.getMessage(), e);
            }
            if (fromFile != null && !fromFile.isMissingNode() && !fromFile.isNull()) {
                if (!fromFile.isObject()) {
                    throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, file + " must hold a YAML mapping");
                }
                moveAcrossSections((ObjectNode) fromFile);
                merge(tree, (ObjectNode) fromFile, "");
            }
        }
        Set<String> used = new HashSet<>();
        env = renamedEnv(env, used);
        applyEnv(tree, env, "", used);
        List<String> unknown = env.keySet().stream().filter(k -> k.startsWith(ENV_PREFIX) && !used.contains(k)).sorted()
                .toList();
        if (!unknown.isEmpty()) {
            LOG.warn("environment variables {} name no agent setting and are ignored", unknown);
        }
        return bind(tree);
    }

    /**
     * Renamed keys that moved to another section ({@code buffer.captureSampleRate} is now
     * {@code capture.sampleRate}) are moved there in the file's tree, with a WARN, before it is
     * merged; a file that sets both keeps the new one.
     */
    private static void moveAcrossSections(ObjectNode file) {
        for (Map.Entry<String, String> r : RENAMED.entrySet()) {
            String[] from = r.getKey().split("\\.");
            String[] to = r.getValue().split("\\.");
            if (from.length != 2 || to.length != 2 || from[0].equals(to[0])) {
                continue;
            }
            if (!(file.get(from[0]) instanceof ObjectNode oldSection) || !oldSection.has(from[1])) {
                continue;
            }
            JsonNode value = oldSection.remove(from[1]);
            JsonNode newSection = file.get(to[0]);
            if (newSection != null && !newSection.isObject() && !newSection.isNull()) {
                continue;
            }
            ObjectNode target = newSection instanceof ObjectNode o ? o : file.putObject(to[0]);
            if (target.has(to[1])) {
                LOG.warn("agent.yaml: '{}' is the old name of '{}', which the file also sets; '{}' is ignored",
                        r.getKey(), r.getValue(), r.getKey());
            } else {
                LOG.warn("agent.yaml: '{}' was renamed '{}'; its value is read as '{}' (rename it in the file)",
                        r.getKey(), r.getValue(), r.getValue());
                target.set(to[1], value);
            }
        }
    }

    /** ISO-8601 durations ({@code PT10S}, {@code PT0.5S}, {@code PT5M}). */
    private static final class IsoDurationDeserializer extends FromStringDeserializer<Duration> {
        IsoDurationDeserializer() {
            super(Duration.class);
        }

        @Override
        protected Duration _deserialize(String value, DeserializationContext context) {
            try {
                return Duration.parse(value.strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("must be an ISO-8601 duration such as PT10S or PT0.5S, not '"
                        + value + "'");
            }
        }
    }

    /**
     * The environment with the variables of {@link #RENAMED} keys read as their replacements
     * ({@code EDGELOOP_AGENT_DRIFT_KS_ALPHA} as {@code EDGELOOP_AGENT_DRIFT_ALPHA}, unless that is
     * set too), each with a WARN; the old names go into {@code used}, so they are not also logged
     * as naming no setting.
     */
    private static Map<String, String> renamedEnv(Map<String, String> env, Set<String> used) {
        Map<String, String> out = null;
        for (Map.Entry<String, String> r : RENAMED.entrySet()) {
            String oldName = envName(r.getKey());
            String value = env.get(oldName);
            if (value == null) {
                continue;
            }
            used.add(oldName);
            if (r.getValue().isEmpty()) {
                LOG.warn("environment: {} was removed and is ignored; its replacement is {}", oldName,
                        REMOVED_BECAUSE.getOrDefault(r.getKey(), "none"));
                continue;
            }
            String newName = envName(r.getValue());
            if (env.containsKey(newName)) {
                LOG.warn("environment: {} is the old name of {}, which is set too; {} is ignored", oldName, newName, oldName);
                continue;
            }
            LOG.warn("environment: {} was renamed {}; its value is read as {}", oldName, newName, newName);
            if (out == null) {
                out = new java.util.HashMap<>(env);
            }
            out.put(newName, value);
        }
        return out == null ? env : out;
    }

    /** The YAML that {@link #load} reads back as {@code options}: every setting, by its key. */
    public static String write(AgentOptions options) {
        try {
            return YAML.writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("agent options are plain values and always serialise", e);
        }
    }

    private static AgentOptions bind(ObjectNode tree) throws EdgeLoopException {
        try {
            return YAML.treeToValue(tree, AgentOptions.class);
        } catch (JsonMappingException e) {
            String key = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(java.util.Objects::nonNull).collect(Collectors.joining("."));
            String why = e.getOriginalMessage().lines().findFirst().orElse("invalid value");
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "invalid agent setting '" + key + "': " + why, e);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "invalid agent configuration: " + e.getMessage(), e);
        }
    }

    private static void merge(ObjectNode into, ObjectNode from, String path) throws EdgeLoopException {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = path + f.getKey();
            String renamed = RENAMED.get(key);
            if (renamed != null && !into.has(f.getKey())) {
                if (renamed.isEmpty()) {
                    LOG.warn("agent.yaml: '{}' was removed and is ignored; its replacement is {}", key,
                            REMOVED_BECAUSE.getOrDefault(key, "none"));
                    continue;
                }
                String newName = renamed.substring(renamed.lastIndexOf('.') + 1);
                if (from.has(newName)) {
                    LOG.warn("agent.yaml: '{}' is the old name of '{}', which the file also sets; '{}' is ignored",
                            key, renamed, key);
                    continue;
                }
                LOG.warn("agent.yaml: '{}' was renamed '{}'; its value is read as '{}' (rename it in the file)",
                        key, renamed, renamed);
                into.set(newName, f.getValue());
                continue;
            }
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

    private static void applyEnv(ObjectNode tree, Map<String, String> env, String prefix, Set<String> used) {
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode node = tree.get(name);
            String envName = prefix + snake(name);
            if (node.isObject()) {
                applyEnv((ObjectNode) node, env, envName + "_", used);
                continue;
            }
            String value = env.get(ENV_PREFIX + envName);
            if (value == null) {
                continue;
            }
            used.add(ENV_PREFIX + envName);
            if (node.isArray()) {
                var array = tree.putArray(name);
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        array.add(item.strip());
                    }
                }
            } else {
                // Text nodes coerce to numbers, booleans and enums when bound.
                tree.set(name, TextNode.valueOf(value));
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
