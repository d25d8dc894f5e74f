package io.edgeloop.server.devices;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Our $7$ hashes and Mosquitto's are the same thing: each verifies the other's, and a real broker accepts ours. */
class MosquittoPasswordHashTest {
    private static final Path MOSQUITTO_PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @Test
    void rfc6070StyleVectorOfPbkdf2Sha512() {
        // PBKDF2-HMAC-SHA512("password", "salt", 1, 64) from RFC 7914's companion test vectors.
        String hex = java.util.HexFormat.of().formatHex(MosquittoPasswordHash.pbkdf2(
                "password".getBytes(StandardCharsets.UTF_8), "salt".getBytes(StandardCharsets.UTF_8), 1, 64));
        assertEquals("867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
                + "c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce", hex);
    }

    @Test
    void ownHashesVerifyAndRejectOtherPasswords() {
        String hash = MosquittoPasswordHash.hash("s3cret");
        assertTrue(hash.matches("\\$7\\$101\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}=="), hash);
        assertTrue(MosquittoPasswordHash.verify(hash, "s3cret".getBytes(StandardCharsets.UTF_8)));
        assertFalse(MosquittoPasswordHash.verify(hash, "s3creT".getBytes(StandardCharsets.UTF_8)));
        assertFalse(MosquittoPasswordHash.verify("$6$abc$def", "s3cret".getBytes(StandardCharsets.UTF_8)));
        assertFalse(MosquittoPasswordHash.verify("$7$x$y$z", "s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aHashWrittenByMosquittoPasswdVerifies(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO_PASSWD), "mosquitto_passwd is not installed (Debian package mosquitto)");
        Path file = dir.resolve("passwd");
        Process p = new ProcessBuilder(MOSQUITTO_PASSWD.toString(), "-c", "-b", file.toString(), "dev-1", "pa ss:wörd")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        String line = Files.readString(file).strip();
        String hash = line.substring(line.indexOf(':') + 1);
        assertTrue(hash.startsWith("$7$"), line);
        assertTrue(MosquittoPasswordHash.verify(hash, "pa ss:wörd".getBytes(StandardCharsets.UTF_8)));
        assertFalse(MosquittoPasswordHash.verify(hash, "pa ss:word".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRealMosquittoAcceptsOurHash(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO), "mosquitto is not installed (Debian package mosquitto)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, new DeviceCredentials.Stored("dev-1", MosquittoPasswordHash.hash("right")).passwdLine() + "\n");
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1", "allow_anonymous false", "password_file " + passwd,
                "persistence false", "user root", ""));
        Process broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        try {
            awaitPort(port, broker, dir);
            String url = "tcp://127.0.0.1:" + port;
            MqttClient ok = new MqttClient(url, "t-ok", new MemoryPersistence());
            ok.connect(options("dev-1", "right"));
            assertTrue(ok.isConnected());
            ok.disconnect();
            ok.close();
            MqttClient bad = new MqttClient(url, "t-bad", new MemoryPersistence());
            MqttException refused = assertThrows(MqttException.class, () -> bad.connect(options("dev-1", "wrong")));
            assertTrue(refused.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                    || refused.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED, refused.toString());
            bad.close();
        } finally {
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static MqttConnectOptions options(String user, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false);
        return o;
    }

    private static void awaitPort(int port, Process broker, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new AssertionError("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("mosquitto did not listen on " + port + ": " + Files.readString(dir.resolve("mosquitto.log")));
    }
}
