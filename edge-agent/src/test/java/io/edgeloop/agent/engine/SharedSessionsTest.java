package io.edgeloop.agent.engine;

import io.edgeloop.fixtures.TestModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SharedSessionsTest {
    @TempDir
    Path dir;

    @Test
    void sameContentInTwoPlacesSharesOneSessionUntilTheLastHandleCloses() throws Exception {
        Path a = TestModelFiles.softmaxMlp(Files.createDirectories(dir.resolve("a")));
        Path b = Files.copy(a, Files.createDirectories(dir.resolve("b")).resolve("copy.onnx"));
        Path other = TestModelFiles.identities(Files.createDirectories(dir.resolve("c")));
        SharedSessions cache = new SharedSessions();
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine()) {
            ModelSession first = cache.open(engine, a, EngineOptions.DEFAULT, ModelSignature.NONE);
            ModelSession second = cache.open(engine, b, EngineOptions.DEFAULT, ModelSignature.NONE);
            assertNotSame(first, second, "each user holds its own handle");
            assertEquals(1, cache.sessions());
            assertEquals(2, cache.users());
            // Other settings are another session: thread counts are part of how a session was opened.
            ModelSession twoThreads = cache.open(engine, a, EngineOptions.DEFAULT.withIntraOpThreads(2), ModelSignature.NONE);
            ModelSession identities = cache.open(engine, other, EngineOptions.DEFAULT, ModelSignature.NONE);
            assertEquals(3, cache.sessions());
            twoThreads.close();
            identities.close();

            first.close();
            first.close();   // a second close releases nothing more
            assertEquals(1, cache.sessions());
            assertEquals(1, cache.users());
            float[] x = new float[784];
            assertEquals(10, second.run(List.of(Tensor.of("input", x, 1, 784))).get(0).floats().length);
            assertThrows(IllegalStateException.class, () -> first.run(List.of(Tensor.of("input", x, 1, 784))));

            second.close();
            assertEquals(0, cache.sessions());
            assertEquals(3, cache.sessionsOpened());
            // Content opened again after every user left is a new session.
            try (ModelSession again = cache.open(engine, b, EngineOptions.DEFAULT, ModelSignature.NONE)) {
                assertEquals(10, again.run(List.of(Tensor.of("input", x, 1, 784))).get(0).floats().length);
            }
            assertEquals(4, cache.sessionsOpened());
        }
    }
}
