package io.edgeloop.server.broker;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.topic.TopicFilters;
import io.edgeloop.protocol.topic.TopicSegments;
import io.edgeloop.protocol.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password file ({@code passwd}: {@code user:$7$…} lines, stored hashes verbatim) and ACL
 * file ({@code acl}: one {@code user} block per login with explicit {@code topic} lines, no
 * {@code pattern}s) that an external Mosquitto reads, written atomically into one folder, and
 * Mosquitto asked to reload them: SIGHUP to the pid in the configured pid file (Mosquitto
 * re-reads both files on SIGHUP). Without a pid file the operator reloads it.
 *
 * <p>Mosquitto's {@code mosquitto.conf} must point {@code password_file} and {@code acl_file} at
 * these files and set {@code allow_anonymous false}.
 */
public final class MosquittoFiles {
    private static final Logger LOG = LoggerFactory.getLogger(MosquittoFiles.class);
    public static final String PASSWORD_FILE = "passwd";
    public static final String ACL_FILE = "acl";

    private final Path folder;
    private final Path pidFile;

    /** @param pidFile Mosquitto's pid file to SIGHUP after a write, or null */
    public MosquittoFiles(Path folder, Path pidFile) {
        this.folder = folder;
        this.pidFile = pidFile;
    }

    public Path passwordFile() {
        return folder.resolve(PASSWORD_FILE);
    }

    public Path aclFile() {
        return folder.resolve(ACL_FILE);
    }

    /**
     * Writes both files for {@code server} and {@code devices}, then asks Mosquitto to reload;
     * does neither when the files already say exactly that.
     */
    public synchronized void write(MqttAccount server, List<MqttAccount> devices) throws EdgeLoopException {
        StringBuilder passwd = new StringBuilder();
        StringBuilder acl = new StringBuilder("# Written by the EdgeLoop server; edits are overwritten.\n");
        passwd.append(server.username()).append(':').append(server.passwordHash()).append('\n');
        acl.append("user ").append(server.username()).append('\n');
        acl.append("topic readwrite ").append(Topics.ROOT).append("/#\n");
        acl.append("topic write ").append(Topics.INGEST_PRESENCE).append('\n');
        int skipped = 0;
        for (MqttAccount device : devices) {
            if (!fileSafe(device.username()) || device.username().equals(server.username())) {
                LOG.warn("device id {} cannot be written to Mosquitto's files; it cannot log in",
                        TopicSegments.printable(device.username()));
                skipped++;
                continue;
            }
            passwd.append(device.username()).append(':').append(device.passwordHash()).append('\n');
            acl.append(deviceAcl(device.username()));
        }
        try {
            Files.createDirectories(folder);
            if (same(passwordFile(), passwd.toString()) && same(aclFile(), acl.toString())) {
                return; // another replica wrote them already; no reload
            }
            replace(passwordFile(), passwd.toString());
            replace(aclFile(), acl.toString());
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot write Mosquitto's files in " + folder
                    + ": " + e.getMessage(), e);
        }
        LOG.debug("wrote {} device logins to {} ({} skipped)", devices.size() - skipped, folder, skipped);
        reload();
    }

    /** The ACL block of one device: write its agent topics, read its jobs and commands. */
    static String deviceAcl(String deviceId) {
        StringBuilder out = new StringBuilder("\nuser ").append(deviceId).append('\n');
        for (String topic : TopicFilters.agentPublishes(deviceId)) {
            out.append("topic write ").append(topic).append('\n');
        }
        for (String topic : TopicFilters.agent(deviceId)) {
            out.append("topic read ").append(topic).append('\n');
        }
        out.append("topic read ").append(Topics.INGEST_PRESENCE).append('\n');
        return out.toString();
    }

    /** A user name Mosquitto's line formats can hold: a valid topic level without ':' or whitespace. */
    static boolean fileSafe(String username) {
        if (TopicSegments.problem(username) != null) {
            return false;
        }
        return username.chars().noneMatch(c -> c == ':' || Character.isWhitespace(c));
    }

    private static boolean same(Path file, String content) throws IOException {
        return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content);
    }

    private static void replace(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void reload() {
        if (pidFile == null || !Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            String pid = Files.readString(pidFile).strip();
            if (!pid.matches("[0-9]+")) {
                LOG.warn("Mosquitto pid file {} holds no pid", pidFile);
                return;
            }
            Process kill = new ProcessBuilder("kill", "-HUP", pid).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                LOG.warn("could not signal Mosquitto (pid {}) to reload: {}", pid,
                        new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            LOG.warn("could not signal Mosquitto to reload: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
