package io.edgeloop.packager.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.ManifestJson;
import io.edgeloop.packageformat.PackageException;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop verify PKG --pubkey KEY}: exits 0 and prints OK with a summary, or exits 1 and
 * prints {@code CODE: sentence} naming the failed check. Nothing is extracted.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a package's signature, hashes and structure without extracting anything.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PKG", description = "The .elpkg file.")
    Path packageFile;

    @Option(names = "--pubkey", required = true, paramLabel = "KEY", description = "The publisher's public key (NAME.pub).")
    Path publicKey;

    @Option(names = "--max-entry-bytes", description = "Refuse entries inflating beyond this (default: ${DEFAULT-VALUE}).")
    long maxEntryBytes = PackageVerifier.Options.DEFAULT_MAX_ENTRY_BYTES;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PackageVerifier verifier = new PackageVerifier(PackageVerifier.Options.DEFAULTS.withMaxEntryBytes(maxEntryBytes));
        try {
            VerifiedPackage verified = verifier.verify(packageFile, KeyPairFiles.loadPublic(publicKey));
            Manifest m = verified.manifest();
            if (json) {
                ObjectNode node = ManifestJson.mapper().createObjectNode().put("ok", true)
                        .put("package", packageFile.toString()).put("name", m.name()).put("version", m.version())
                        .put("keyId", verified.keyId());
                m.variants().forEach(v -> node.withArray("variants").add(v.id()));
                out.println(node);
            } else {
                out.printf("OK %s %s: signature by key %s, %d file(s) match their sha256, variants %s%n",
                        m.name(), m.version(), verified.keyId(), m.files().size(),
                        m.variants().stream().map(Variant::id).toList());
            }
            return 0;
        } catch (PackageException e) {
            if (json) {
                out.println(ManifestJson.mapper().createObjectNode().put("ok", false).put("package", packageFile.toString())
                        .put("code", e.code().name()).put("message", e.getMessage()).put("advice", e.code().advice()));
            } else {
                spec.commandLine().getErr().println(e.describe());
            }
            return PackagerMain.EXIT_REFUSED;
        }
    }
}
