package io.edgeloop.server.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoPasswordHashTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void verifiesItsOwnHashesAndRefusesOthers() {
        String hash = MosquittoPasswordHash.hash(utf8("s3cret"));
        assertTrue(hash.startsWith("$7$101$"));
        assertTrue(MosquittoPasswordHash.verify(hash, utf8("s3cret")));
        assertFalse(MosquittoPasswordHash.verify(hash, utf8("s3creT")));
        assertFalse(MosquittoPasswordHash.verify("$6$abc$def", utf8("s3cret")));
        assertFalse(MosquittoPasswordHash.verify("$7$x$y$z", utf8("s3cret")));
    }

    @Test
    void verifiesWhatMosquittoPasswdWrites(@TempDir Path dir) throws Exception {
        Path tool = Path.of("/usr/bin/mosquitto_passwd");
        assumeTrue(Files.isExecutable(tool), "mosquitto_passwd is not installed");
        Path file = dir.resolve("passwd");
        Process p = new ProcessBuilder(tool.toString(), "-c", "-b", file.toString(), "dev-1", "pässword")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String line = Files.readString(file).strip();
        String hash = line.substring(line.indexOf(':') + 1);
        assertTrue(hash.startsWith("$7$"), line);
        assertTrue(MosquittoPasswordHash.verify(hash, utf8("pässword")));
        assertFalse(MosquittoPasswordHash.verify(hash, utf8("password")));
    }
}
