package io.edgeloop.server.broker;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server's own broker login, user {@value #USERNAME}: reads and writes every device's
 * topics. The password lives in an owner-only file (by default in the data directory); replicas
 * that share one broker point at the same file.
 */
public final class ServerMqttLogin {
    /** The broker user name of every server replica. */
    public static final String USERNAME = "edgeloop-server";
    /** Default file name under the data directory. */
    public static final String DEFAULT_FILE = "mqtt-server.password";

    private final byte[] password;

    private ServerMqttLogin(byte[] password) {
        this.password = password;
    }

    /** Reads the password from {@code file}, creating the file with a random password first if absent. */
    public static ServerMqttLogin loadOrCreate(Path file) throws EdgeLoopException {
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".mqtt-server", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, text + "\n");
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    Files.deleteIfExists(tmp);
                    if (!Files.exists(file)) {
                        throw raced;
                    }
                }
            }
            String text = Files.readString(file).strip();
            if (text.isEmpty()) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the server's MQTT password file " + file + " is empty");
            }
            return new ServerMqttLogin(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /** A login with a known password (tests, benchmarks). */
    public static ServerMqttLogin of(String password) {
        return new ServerMqttLogin(password.getBytes(StandardCharsets.UTF_8));
    }

    public String username() {
        return USERNAME;
    }

    /** The password as Paho wants it. */
    public char[] passwordChars() {
        return new String(password, StandardCharsets.UTF_8).toCharArray();
    }

    /** Whether a login presents this user and password. */
    public boolean matches(String username, byte[] candidate) {
        return USERNAME.equals(username) && candidate != null && MessageDigest.isEqual(password, candidate);
    }

    /** This login as a Mosquitto password-file account, freshly salted. */
    public MqttAccount account() {
        return new MqttAccount(USERNAME, io.edgeloop.server.devices.MosquittoPasswordHash.hash(password));
    }
}
