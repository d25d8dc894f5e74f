package io.edgeloop.packager.cli;

import io.edgeloop.packageformat.sign.KeyIds;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code edgeloop keygen}: writes an Ed25519 key pair as {@code NAME.key} (owner-only) and {@code NAME.pub}. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Create an Ed25519 signing key pair: NAME.key (PKCS#8 PEM, owner-only) and NAME.pub (X.509 PEM).")
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--name", description = "Base name of the key files (default: ${DEFAULT-VALUE}).")
    String name = "edgeloop";

    @Option(names = "--dir", description = "Folder to write them to (default: current folder).")
    Path dir = Path.of(".");

    @Override
    public Integer call() throws Exception {
        KeyPairFiles.Paths paths = KeyPairFiles.generate(dir, name);
        String keyId = KeyIds.of(KeyPairFiles.loadPublic(paths.publicKey()));
        spec.commandLine().getOut().printf("private key %s (keep it secret)%npublic key  %s (give it to devices)%nkey id      %s%n",
                paths.privateKey(), paths.publicKey(), keyId);
        return 0;
    }
}
