package io.edgeloop.agent.store;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelStoreTest {
    @TempDir
    Path root;

    private ModelStore store(int keep) throws EdgeLoopException {
        return new ModelStore(root, new StoreOptions(keep));
    }

    private static void install(ModelStore store, String version) throws EdgeLoopException {
        store.install(new ModelDescriptor("m", version, "onnx", "model.onnx", "fp32", List.of("a", "b"), null),
                Map.of("model.onnx", () -> new ByteArrayInputStream(("model " + version).getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void installActivateRollbackKeepsNPrevious() throws Exception {
        ModelStore store = store(1);
        install(store, "1.0.0");
        assertEquals(Optional.empty(), store.active("m"));
        store.activate("m", "1.0.0");
        install(store, "1.1.0");
        store.activate("m", "1.1.0");
        assertEquals(List.of("1.1.0", "1.0.0"), store.history("m"));
        install(store, "1.2.0");
        store.activate("m", "1.2.0");
        // keepPrevious = 1: 1.0.0 fell out of the history and its directory is gone.
        assertEquals(List.of("1.2.0", "1.1.0"), store.history("m"));
        assertFalse(Files.exists(store.versionDir("m", "1.0.0")));
        assertEquals("1.1.0", store.rollback("m"));
        assertEquals(Optional.of("1.1.0"), store.active("m"));
        assertEquals(ErrorCode.ACTIVATION_FAILED, assertThrows(EdgeLoopException.class, () -> store.rollback("m")).code());
        assertEquals("model 1.1.0", Files.readString(store.versionDir("m", "1.1.0").resolve("model.onnx")));
        assertEquals(List.of("a", "b"), store.descriptor("m", "1.1.0").classes());
    }

    @Test
    void refusesUnsafeNamesDuplicatesAndUnknownVersions() throws Exception {
        ModelStore store = store(2);
        install(store, "1");
        assertEquals(ErrorCode.INSTALL_FAILED, assertThrows(EdgeLoopException.class, () -> install(store, "1")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EdgeLoopException.class, () -> install(store, "../x")).code());
        assertEquals(ErrorCode.ACTIVATION_FAILED, assertThrows(EdgeLoopException.class, () -> store.activate("m", "2")).code());
    }

    @Test
    void recoveryRemovesHalfWrittenStateAndKeepsAValidActiveVersion() throws Exception {
        ModelStore store = store(2);
        install(store, "1");
        store.activate("m", "1");
        install(store, "2");
        store.activate("m", "2");
        // What a crash can leave: a staging directory, a temp pointer, and (from an operator
        // deleting files by hand) a pointer naming a version that is gone.
        Path modelDir = root.resolve("m");
        Files.createDirectories(modelDir.resolve(".staging-3-123"));
        Files.writeString(modelDir.resolve("active.tmp-99"), "3\n");
        io.edgeloop.agent.store.DurableFiles.deleteTree(store.versionDir("m", "2"));
        ModelStore reopened = store(2);
        assertEquals(Optional.of("1"), reopened.active("m"));
        assertFalse(Files.exists(modelDir.resolve(".staging-3-123")));
        assertFalse(Files.exists(modelDir.resolve("active.tmp-99")));
        assertEquals(List.of("1"), reopened.versions("m"));
        assertTrue(reopened.models().contains("m"));
    }

    @Test
    void activatingAVersionBelowTheHighestInstalledIsRefusedAndRollbackIsTheWayBack() throws Exception {
        ModelStore store = store(2);
        install(store, "1.9.0");
        store.activate("m", "1.9.0");
        install(store, "1.10.0");
        store.activate("m", "1.10.0");
        // Semantic order, not text order: 1.10.0 is above 1.9.0.
        EdgeLoopException refused = assertThrows(EdgeLoopException.class, () -> store.activate("m", "1.9.0"));
        assertEquals(ErrorCode.DOWNGRADE_REFUSED, refused.code());
        assertEquals(409, refused.code().httpStatus());
        assertTrue(refused.getMessage().contains("rollback"), refused.getMessage());
        assertEquals(Optional.of("1.10.0"), store.active("m"));
        store.activate("m", "1.10.0");
        store.rollbackTo("m", "1.9.0");
        assertEquals(Optional.of("1.9.0"), store.active("m"));
        // Forward again is an upgrade.
        store.activate("m", "1.10.0");
        assertEquals(Optional.of("1.10.0"), store.active("m"));
        assertEquals("1.9.0", store.rollback("m"));
        install(store, "2.0.0-rc.1");
        store.activate("m", "2.0.0-rc.1");
        install(store, "2.0.0");
        store.activate("m", "2.0.0");
        assertEquals(ErrorCode.DOWNGRADE_REFUSED,
                assertThrows(EdgeLoopException.class, () -> store.activate("m", "2.0.0-rc.1")).code());
    }

    @Test
    void aCandidateThatIsNotActiveCanBeRemovedAndTheActiveOneCannot() throws Exception {
        ModelStore store = store(2);
        install(store, "1.0.0");
        store.activate("m", "1.0.0");
        install(store, "1.1.0");
        store.remove("m", "1.1.0");
        assertEquals(List.of("1.0.0"), store.versions("m"));
        assertEquals(ErrorCode.ACTIVATION_FAILED, assertThrows(EdgeLoopException.class, () -> store.remove("m", "1.0.0")).code());
        assertEquals(Optional.of("1.0.0"), store.active("m"));
    }
}
