package io.edgeloop.server.broker;

/**
 * One broker login as Mosquitto's password file holds it: the user name and the stored
 * {@code $7$} hash (PBKDF2-HMAC-SHA512, as {@code mosquitto_passwd} writes it), copied verbatim.
 */
public record MqttAccount(String username, String passwordHash) {
    public MqttAccount {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("username is empty");
        }
        if (passwordHash == null || !passwordHash.startsWith("$7$")) {
            throw new IllegalArgumentException("password hash of " + username + " is not in Mosquitto's $7$ format");
        }
    }
}
