package io.edgeloop.agent.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.packageformat.ManifestJson;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Installed model versions on disk: {@code root/<name>/<version>/} holds the model file and
 * {@code model.json}; {@code root/<name>/active} names the active version on its first line and
 * the previous ones (newest first) on the next lines.
 *
 * <p>Crash safety: a version is written into {@code .staging-*}, fsynced, and renamed into place,
 * so a version directory is complete or absent. Activation replaces the small {@code active} file
 * by write-temp, fsync, atomic rename and directory fsync, so after a crash at any instant the
 * old or the new version is active, never neither. On start {@link #recover()} deletes staging
 * directories and temp files, and if the pointer names a missing version falls back to the
 * newest previous version that exists.
 */
public final class ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");
    static final String ACTIVE = "active";
    static final String DESCRIPTOR = "model.json";
    private static final String STAGING_PREFIX = ".staging-";

    private final Path root;
    private final StoreOptions options;
    /** The package format's mapper: a descriptor holds the manifest's drift baseline, thousands of numbers. */
    private final ObjectMapper json = ManifestJson.mapper();

    /** The store in {@code root} ({@code data-dir/models} in an agent). */
    public ModelStore(Path root, StoreOptions options) throws EdgeLoopException {
        this.root = root;
        this.options = options;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot create the model store at " + root, e);
        }
        recover();
    }

    /** Checks a model name or version is a single safe path segment. */
    public static String checkName(String what, String value) throws EdgeLoopException {
        if (value == null || !SAFE_NAME.matcher(value).matches()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, what + " '" + value
                    + "' must be 1-128 letters, digits, '.', '_', '+' or '-', starting with a letter or digit");
        }
        return value;
    }

    public Path versionDir(String name, String version) {
        return root.resolve(name).resolve(version);
    }

    /**
     * Installs a version from the given files (target file name → content stream), writing the
     * descriptor beside them. Refuses to overwrite an installed version.
     */
    public Path install(ModelDescriptor descriptor, Map<String, InputStreamSource> files) throws EdgeLoopException {
        String name = checkName("model name", descriptor.name());
        String version = checkName("version", descriptor.version());
        Path modelDir = root.resolve(name);
        Path target = modelDir.resolve(version);
        if (Files.exists(target)) {
            throw new EdgeLoopException(ErrorCode.INSTALL_FAILED, name + " " + version + " is already installed");
        }
        Path staging = modelDir.resolve(STAGING_PREFIX + version + "-" + System.nanoTime());
        try {
            Files.createDirectories(staging);
            for (Map.Entry<String, InputStreamSource> file : files.entrySet()) {
                Path out = staging.resolve(checkName("file name", file.getKey()));
                try (InputStream in = file.getValue().open()) {
                    Files.copy(in, out);
                }
                DurableFiles.fsync(out);
            }
            Path desc = staging.resolve(DESCRIPTOR);
            Files.write(desc, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(descriptor));
            DurableFiles.fsync(desc);
            DurableFiles.fsyncDirectory(staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.fsyncDirectory(modelDir);
            LOG.info("installed {} {} ({})", name, version, descriptor.variant());
            return target;
        } catch (IOException e) {
            try {
                DurableFiles.deleteTree(staging);
            } catch (IOException ignored) {
                // recover() removes it on the next start
            }
            throw new EdgeLoopException(ErrorCode.INSTALL_FAILED, "installing " + name + " " + version + " failed: " + e, e);
        }
    }

    /** A way to open a file's content more than once if needed. */
    @FunctionalInterface
    public interface InputStreamSource {
        InputStream open() throws IOException;
    }

    /**
     * Makes {@code version} active; the previous active version moves into the history. A version
     * older (in semantic version order) than the highest installed one is refused with
     * {@code DOWNGRADE_REFUSED}: going back is what {@link #rollback(String)} and
     * {@link #rollbackTo(String, String)} are for, so an old, perhaps vulnerable, version never
     * comes back by accident. Activating the version already active does nothing.
     */
    public synchronized void activate(String name, String version) throws EdgeLoopException {
        requireInstalled(name, version);
        List<String> history = new ArrayList<>(history(name));
        if (!history.isEmpty() && history.get(0).equals(version)) {
            return;
        }
        Optional<String> highest = SemanticVersion.highest(versions(name));
        if (highest.isPresent() && SemanticVersion.isOlder(version, highest.get())) {
            throw new EdgeLoopException(ErrorCode.DOWNGRADE_REFUSED, "activating " + name + " " + version
                    + " would go back below the highest installed version " + highest.get()
                    + "; to return to an older version send the rollback command (POST /v2/agent/models/" + name
                    + "/rollback?version=" + version + ")");
        }
        history.remove(version);
        history.add(0, version);
        writePointer(name, history);
    }

    private void requireInstalled(String name, String version) throws EdgeLoopException {
        checkName("model name", name);
        checkName("version", version);
        if (!Files.isRegularFile(versionDir(name, version).resolve(DESCRIPTOR))) {
            throw new EdgeLoopException(ErrorCode.ACTIVATION_FAILED, name + " " + version + " is not installed");
        }
    }

    /** Re-activates the newest previous version; returns it. */
    public synchronized String rollback(String name) throws EdgeLoopException {
        List<String> history = new ArrayList<>(history(name));
        if (history.size() < 2) {
            throw new EdgeLoopException(ErrorCode.ACTIVATION_FAILED, "no previous version of " + name + " to roll back to");
        }
        String from = history.remove(0);
        writePointer(name, history);
        LOG.info("rolled back {} from {} to {}", name, from, history.get(0));
        return history.get(0);
    }

    /**
     * Re-activates an installed {@code version}, older or not: an explicit rollback, which the
     * downgrade guard lets through. The version left stays installed, out of the history.
     */
    public synchronized void rollbackTo(String name, String version) throws EdgeLoopException {
        requireInstalled(name, version);
        List<String> history = new ArrayList<>(history(name));
        if (!history.isEmpty() && history.get(0).equals(version)) {
            return;
        }
        String from = history.isEmpty() ? null : history.remove(0);
        history.remove(version);
        history.add(0, version);
        writePointer(name, history);
        LOG.info("rolled back {} from {} to {}", name, from, version);
    }

    /**
     * Deletes an installed version that is not active (a candidate that failed validation); the
     * history forgets it. Refuses the active version.
     */
    public synchronized void remove(String name, String version) throws EdgeLoopException {
        checkName("model name", name);
        checkName("version", version);
        List<String> history = new ArrayList<>(history(name));
        if (!history.isEmpty() && history.get(0).equals(version)) {
            throw new EdgeLoopException(ErrorCode.ACTIVATION_FAILED, name + " " + version
                    + " is active; activate or roll back to another version first");
        }
        if (history.remove(version)) {
            writePointer(name, history);
        }
        try {
            DurableFiles.deleteTree(versionDir(name, version));
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot remove " + name + " " + version + ": " + e, e);
        }
        LOG.info("removed {} {}", name, version);
    }

    private void writePointer(String name, List<String> history) throws EdgeLoopException {
        int keep = Math.min(history.size(), options.keepPrevious() + 1);
        List<String> kept = history.subList(0, keep);
        try {
            DurableFiles.replace(root.resolve(name).resolve(ACTIVE), String.join("\n", kept) + "\n");
            for (String dropped : history.subList(keep, history.size())) {
                DurableFiles.deleteTree(versionDir(name, dropped));
            }
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.ACTIVATION_FAILED, "writing the active pointer of " + name + " failed: " + e, e);
        }
    }

    /** The active version, when one is. */
    public Optional<String> active(String name) throws EdgeLoopException {
        List<String> h = history(name);
        return h.isEmpty() ? Optional.empty() : Optional.of(h.get(0));
    }

    /** Active version first, then previous versions newest first. */
    public List<String> history(String name) throws EdgeLoopException {
        Path pointer = root.resolve(name).resolve(ACTIVE);
        try {
            if (!Files.exists(pointer)) {
                return List.of();
            }
            return Arrays.stream(Files.readString(pointer, StandardCharsets.UTF_8).split("\n"))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read " + pointer, e);
        }
    }

    /** Installed versions of {@code name} (complete directories only). */
    public List<String> versions(String name) throws EdgeLoopException {
        return listDirs(root.resolve(name)).stream()
                .filter(d -> !d.getFileName().toString().startsWith("."))
                .filter(d -> Files.isRegularFile(d.resolve(DESCRIPTOR)))
                .map(d -> d.getFileName().toString()).sorted().toList();
    }

    /** Names of models with an active version. */
    public List<String> models() throws EdgeLoopException {
        return listDirs(root).stream().filter(d -> Files.exists(d.resolve(ACTIVE)))
                .map(d -> d.getFileName().toString()).sorted().toList();
    }

    public ModelDescriptor descriptor(String name, String version) throws EdgeLoopException {
        checkName("model name", name);
        checkName("version", version);
        Path file = versionDir(name, version).resolve(DESCRIPTOR);
        if (!Files.isRegularFile(file)) {
            throw new EdgeLoopException(ErrorCode.MODEL_NOT_FOUND, name + " " + version + " is not installed");
        }
        try {
            return json.readValue(file.toFile(), ModelDescriptor.class);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes what a crash may have left half-done; see the class comment. */
    public void recover() throws EdgeLoopException {
        for (Path modelDir : listDirs(root)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(modelDir)) {
                for (Path entry : entries) {
                    String file = entry.getFileName().toString();
                    if (file.startsWith(STAGING_PREFIX) || file.startsWith(ACTIVE + ".tmp-")) {
                        LOG.warn("removing half-written {}", entry);
                        DurableFiles.deleteTree(entry);
                    }
                }
            } catch (IOException e) {
                throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot recover " + modelDir + ": " + e, e);
            }
            String name = modelDir.getFileName().toString();
            List<String> history = history(name);
            List<String> present = history.stream()
                    .filter(v -> Files.isRegularFile(versionDir(name, v).resolve(DESCRIPTOR))).toList();
            if (!present.equals(history) && !present.isEmpty()) {
                LOG.warn("{}: versions {} are missing; active is now {}", name, history, present.get(0));
                writePointer(name, present);
            }
        }
    }

    private static List<Path> listDirs(Path dir) throws EdgeLoopException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            entries.forEach(out::add);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot list " + dir, e);
        }
        return out;
    }
}
