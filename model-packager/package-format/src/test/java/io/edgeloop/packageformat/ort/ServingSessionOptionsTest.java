package io.edgeloop.packageformat.ort;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServingSessionOptionsTest {
    @Test
    void idleThreadsDoNotSpin() throws Exception {
        try (OrtSession.SessionOptions so = ServingSessionOptions.create(2)) {
            assertEquals("0", so.getConfigEntries().get(ServingSessionOptions.ALLOW_SPINNING));
        }
    }

    @Test
    void aNegativeThreadCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ServingSessionOptions.create(-1));
    }
}
