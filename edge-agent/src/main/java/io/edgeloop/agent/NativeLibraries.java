package io.edgeloop.agent;

import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Unpacks the native libraries of ONNX Runtime and RocksDB once into {@code data-dir/native}
 * and loads them from there. By default both jars extract ~37 MB into a fresh temp file on every
 * start and delete it only on a clean exit, so each start pays the copy and every crash or
 * {@code kill -9} leaves the copy behind in /tmp. Falls back to the jars' own loading when the
 * libraries for this platform are not in them.
 */
public final class NativeLibraries {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraries.class);
    private static final String ORT_DIR = "ai/onnxruntime/native/";
    private static final List<String> ORT_LIBS = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");

    private NativeLibraries() {
    }

    private static boolean prepared;

    /**
     * Once per process: the first agent's {@code data-dir/native} serves every agent that a
     * simulator starts in the same JVM (a library loads once anyway).
     */
    public static synchronized void prepare(Path dataDir) {
        if (prepared) {
            return;
        }
        prepared = true;
        Path dir = dataDir.resolve("native");
        try {
            Files.createDirectories(dir);
            prepareOnnxRuntime(dir.resolve("onnxruntime"));
            prepareRocksDb(dir.resolve("rocksdb"));
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.warn("native library cache unusable ({}); the jars extract their libraries to a temp dir", e.toString());
        }
    }

    private static void prepareOnnxRuntime(Path dir) throws IOException {
        if (System.getProperty("onnxruntime.native.path") != null) {
            return;
        }
        String platform = ortPlatform();
        if (platform == null) {
            return;
        }
        for (String lib : ORT_LIBS) {
            if (!extract(ORT_DIR + platform + "/" + lib, dir.resolve(lib))) {
                return;
            }
        }
        System.setProperty("onnxruntime.native.path", dir.toString());
    }

    private static void prepareRocksDb(Path dir) throws IOException {
        String name = Environment.getJniLibraryFileName("rocksdb");
        // RocksDB.loadLibrary(paths) looks for the JNI file name of "rocksdbjni" in each path.
        if (extract(name, dir.resolve(Environment.getJniLibraryFileName("rocksdbjni")))) {
            RocksDB.loadLibrary(List.of(dir.toString()));
        }
    }

    private static String ortPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux")) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64" -> "linux-aarch64";
            default -> null;
        };
    }

    /** Copies a classpath resource to {@code target} unless an identical-size copy is there; false when absent. */
    private static boolean extract(String resource, Path target) throws IOException {
        try (InputStream in = NativeLibraries.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            long size = resourceSize(resource);
            if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
                return true;
            }
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
    }

    private static long resourceSize(String resource) {
        try {
            var url = NativeLibraries.class.getClassLoader().getResource(resource);
            return url == null ? -1 : url.openConnection().getContentLengthLong();
        } catch (IOException e) {
            return -1;
        }
    }
}
