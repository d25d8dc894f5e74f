package io.edgeloop.server.publish;

import io.edgeloop.packageformat.sign.KeyIds;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.protocol.EdgeLoopException;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;

/**
 * The server's own publisher key ({@code --signing-key FILE.key}, an Ed25519 private key from
 * {@code edgeloop keygen}): the packages the server builds are signed with it, and its public
 * half is trusted like a {@code --trusted-key}, so the server accepts and its agents verify them.
 */
public final class SigningKey {
    private final Path file;
    private final KeyPair keys;

    private SigningKey(Path file, KeyPair keys) {
        this.file = file;
        this.keys = keys;
    }

    public static SigningKey load(Path privateKeyFile) throws EdgeLoopException {
        return new SigningKey(privateKeyFile, KeyPairFiles.loadPair(privateKeyFile));
    }

    public ManifestSigner signer() {
        return new ManifestSigner(keys);
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    public String keyId() {
        return KeyIds.of(keys.getPublic());
    }

    public Path file() {
        return file;
    }
}
