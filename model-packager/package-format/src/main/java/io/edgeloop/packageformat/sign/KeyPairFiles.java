package io.edgeloop.packageformat.sign;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * Ed25519 key pairs as PEM files: {@code NAME.key} (PKCS#8, owner-only) and {@code NAME.pub}
 * (X.509 SubjectPublicKeyInfo), readable by OpenSSL. Uses the JDK's own EdDSA provider.
 */
public final class KeyPairFiles {
    private static final Logger LOG = LoggerFactory.getLogger(KeyPairFiles.class);
    private static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    private KeyPairFiles() {
    }

    /** The two files of a key pair named {@code name} in {@code dir}. */
    public record Paths(Path privateKey, Path publicKey) {
    }

    public static Paths pathsFor(Path dir, String name) {
        return new Paths(dir.resolve(name + ".key"), dir.resolve(name + ".pub"));
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 key generator", e);
        }
    }

    /**
     * Generates a key pair and writes it; refuses to overwrite existing files, since losing a
     * signing key strands every device that trusts it.
     */
    public static Paths generate(Path dir, String name) throws EdgeLoopException {
        Paths paths = pathsFor(dir, name);
        for (Path p : new Path[]{paths.privateKey(), paths.publicKey()}) {
            if (Files.exists(p)) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, p + " already exists; choose another name or remove it");
            }
        }
        KeyPair pair = generate();
        try {
            Files.createDirectories(dir);
            writePrivate(paths.privateKey(), pair.getPrivate());
            Files.writeString(paths.publicKey(), pem(PUBLIC_LABEL, pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot write the key pair to " + dir + ": " + e.getMessage(), e);
        }
        return paths;
    }

    public static PublicKey loadPublic(Path file) throws EdgeLoopException {
        byte[] der = readPem(file, PUBLIC_LABEL);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, file + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** Loads a private key; warns when other users can read the file. */
    public static PrivateKey loadPrivate(Path file) throws EdgeLoopException {
        warnIfShared(file);
        byte[] der = readPem(file, PRIVATE_LABEL);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, file + " is not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a private key file as a full key pair, so signing needs only the {@code .key} file.
     * An Ed25519 public key is a function of the 32-byte private seed; the JDK does not expose
     * that function, but its key generator draws exactly the seed from its random source, so
     * feeding it the seed regenerates the pair. The result is checked by a sign-and-verify probe.
     */
    public static KeyPair loadPair(Path privateKeyFile) throws EdgeLoopException {
        PrivateKey privateKey = loadPrivate(privateKeyFile);
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes().orElseThrow(() -> new EdgeLoopException(
                ErrorCode.INVALID_ARGUMENT, privateKeyFile + " holds no Ed25519 seed"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(255, new SeedRandom(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] probe = "edgeloop key probe".getBytes(StandardCharsets.US_ASCII);
            byte[] signature = ManifestSigner.rawSign(privateKey, probe);
            if (!SignatureVerifier.rawVerify(pair.getPublic(), probe, signature)) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT,
                        "cannot derive the public key of " + privateKeyFile + " with this JDK");
            }
            return new KeyPair(pair.getPublic(), privateKey);
        } catch (GeneralSecurityException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cannot use " + privateKeyFile + ": " + e.getMessage(), e);
        }
    }

    private static void writePrivate(Path file, PrivateKey key) throws IOException {
        String text = pem(PRIVATE_LABEL, key.getEncoded());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // Create with owner-only permissions so the key is never readable by others, even briefly.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } else {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        }
    }

    private static void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("private key {} is readable by other users ({}); run 'chmod 600 {}'",
                        file, PosixFilePermissions.toString(perms), file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system, or unreadable: loading reports the real problem.
        }
    }

    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] readPem(Path file, String label) throws EdgeLoopException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cannot read key file " + file + ": " + e.getMessage(), e);
        }
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, file + " holds no PEM '" + label + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, file + " has a damaged PEM body: " + e.getMessage(), e);
        }
    }

    /** A "random" source that yields a fixed seed; only for re-deriving a key pair from its seed. */
    private static final class SeedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("expected a request for " + seed.length + " bytes, got " + bytes.length);
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
