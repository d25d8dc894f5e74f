package io.edgeloop.profiles.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.InvalidFieldException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The device-class catalog: profiles read from YAML files named by an index file
 * ({@code index.yaml}, key {@code profiles}). The index is explicit on purpose: no classpath
 * scanning, and the list order is the tie-break order when two profiles score the same.
 * Loading validates every profile and refuses the whole catalog on the first bad one, naming
 * the file and the field.
 */
public final class ProfileCatalog {
    /** Classpath folder of the built-in catalog. */
    public static final String DEFAULT_RESOURCE_DIR = "profiles";
    public static final String INDEX_FILE = "index.yaml";

    private final List<DeviceProfile> profiles;
    private final Map<String, DeviceProfile> byId;

    /** A catalog of already-validated profiles; ids must be unique. */
    public ProfileCatalog(List<DeviceProfile> profiles) {
        this.profiles = List.copyOf(profiles);
        Map<String, DeviceProfile> ids = new LinkedHashMap<>();
        for (DeviceProfile p : this.profiles) {
            if (ids.putIfAbsent(p.id(), p) != null) {
                throw new IllegalArgumentException("duplicate profile id '" + p.id() + "'");
            }
        }
        this.byId = Map.copyOf(ids);
    }

    /** The catalog shipped in this jar ({@code profiles/index.yaml} on the classpath). */
    public static ProfileCatalog loadDefault() throws EdgeLoopException {
        ClassLoader loader = ProfileCatalog.class.getClassLoader();
        return load("classpath:" + DEFAULT_RESOURCE_DIR, name -> {
            InputStream in = loader.getResourceAsStream(DEFAULT_RESOURCE_DIR + "/" + name);
            if (in == null) {
                throw new NoSuchFileException(DEFAULT_RESOURCE_DIR + "/" + name);
            }
            return in;
        });
    }

    /** A catalog from a folder holding {@code index.yaml} and the profile files it lists. */
    public static ProfileCatalog loadDirectory(Path dir) throws EdgeLoopException {
        return load(dir.toString(), name -> Files.newInputStream(dir.resolve(name)));
    }

    public List<DeviceProfile> profiles() {
        return profiles;
    }

    public Optional<DeviceProfile> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The fallback profile for an architecture, if the catalog has one. */
    public Optional<DeviceProfile> genericFor(String architecture) {
        return profiles.stream().filter(p -> p.generic() && p.architecture().equals(architecture)).findFirst();
    }

    public List<String> ids() {
        return profiles.stream().map(DeviceProfile::id).collect(Collectors.toList());
    }

    /** Opens one file of a catalog by its name relative to the catalog folder. */
    @FunctionalInterface
    private interface Opener {
        InputStream open(String name) throws IOException;
    }

    /** The index file's shape. */
    private record Index(List<String> profiles) {
    }

    private static ProfileCatalog load(String source, Opener opener) throws EdgeLoopException {
        ObjectMapper yaml = yamlMapper();
        Index index = read(yaml, opener, source, INDEX_FILE, Index.class);
        if (index == null || index.profiles() == null || index.profiles().isEmpty()) {
            throw invalid(source, INDEX_FILE, "field 'profiles' must list at least one profile file");
        }
        List<DeviceProfile> profiles = new ArrayList<>();
        Map<String, String> fileOfId = new LinkedHashMap<>();
        for (String file : index.profiles()) {
            DeviceProfile profile = read(yaml, opener, source, file, DeviceProfile.class);
            if (profile == null) {
                throw invalid(source, file, "the file is empty");
            }
            String expected = file.replaceFirst("\\.ya?ml$", "");
            if (!profile.id().equals(expected)) {
                throw invalid(source, file, "field 'id' is '" + profile.id() + "' but the file is named for '" + expected + "'");
            }
            String previous = fileOfId.putIfAbsent(profile.id(), file);
            if (previous != null) {
                throw invalid(source, file, "field 'id' repeats '" + profile.id() + "' from " + previous);
            }
            profiles.add(profile);
        }
        return new ProfileCatalog(profiles);
    }

    private static <T> T read(ObjectMapper yaml, Opener opener, String source, String file, Class<T> type)
            throws EdgeLoopException {
        try (InputStream in = opener.open(file)) {
            return yaml.readValue(in, type);
        } catch (JsonMappingException e) {
            throw invalid(source, file, describe(e), e);
        } catch (JacksonException e) {
            // SnakeYAML's messages span several lines with a caret drawing; one line reads better in a CLI.
            throw invalid(source, file, "not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").trim()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (NoSuchFileException e) {
            throw invalid(source, file, "the file is missing", e);
        } catch (IOException e) {
            throw invalid(source, file, "could not be read: " + e.getMessage(), e);
        }
    }

    /** Names the field: Jackson's path for type errors, the record's own message for validation. */
    private static String describe(JsonMappingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "field '" + path + "' is unknown (known fields: " + unknown.getKnownPropertyIds() + ")";
        }
        if (root instanceof InvalidFieldException refused) {
            return "field '" + refused.field() + "' " + refused.problem();
        }
        String problem = root != e && root.getMessage() != null ? root.getMessage() : e.getOriginalMessage();
        return (path.isEmpty() ? "" : "field '" + path + "': ") + firstLine(problem);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static ObjectMapper yamlMapper() {
        return new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    }

    private static EdgeLoopException invalid(String source, String file, String problem) {
        return invalid(source, file, problem, null);
    }

    private static EdgeLoopException invalid(String source, String file, String problem, Throwable cause) {
        return new EdgeLoopException(ErrorCode.PROFILE_CATALOG_INVALID,
                "device profile " + source + "/" + file + ": " + problem, cause);
    }
}
