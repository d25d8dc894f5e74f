package io.edgeloop.packager.eval;

import io.edgeloop.packageformat.KnownProfiles;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.ProfileTraits;
import io.edgeloop.packageformat.UnverifiedPackage;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VariantSelector;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.profiles.ProfileDetection;
import io.edgeloop.profiles.catalog.ProfileCatalog;
import io.edgeloop.profiles.match.ProfileMatcher;
import io.edgeloop.profiles.probe.HardwareProbe;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.file.Path;

/**
 * Resolves {@code .elpkg} packages to the variant this machine's device profile would run (or a
 * named variant), and {@code .onnx} files to themselves. Evaluation reads the package without a
 * key: it measures what the package holds, it does not install it ({@code edgeloop verify} checks
 * signatures). Every file read is still checked against the manifest's sha256.
 */
public final class PackageModelSource implements ModelSource {
    private final String variantId;

    /** @param variantId a variant to evaluate, or {@code null} for the one matching this machine */
    public PackageModelSource(String variantId) {
        this.variantId = variantId;
    }

    @Override
    public Resolved resolve(Path file) throws EdgeLoopException {
        if (!file.getFileName().toString().endsWith(".elpkg")) {
            return ModelSource.onnxFiles().resolve(file);
        }
        UnverifiedPackage pkg = UnverifiedPackage.open(file, PackageVerifier.Options.DEFAULTS);
        Variant variant;
        if (variantId != null) {
            variant = pkg.manifest().variant(variantId).orElseThrow(() -> new EdgeLoopException(
                    ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, file + " has no variant '" + variantId + "'; it has "
                    + pkg.manifest().variants().stream().map(Variant::id).toList()));
        } else {
            ProfileDetection detection = ProfileDetection.detect(new HardwareProbe(Path.of("/")),
                    new ProfileMatcher(ProfileCatalog.loadDefault()));
            ProfileTraits traits = KnownProfiles.traits(detection.profile());
            variant = new VariantSelector(KnownProfiles.ALL).select(pkg.manifest(), traits).orElseThrow(() ->
                    new EdgeLoopException(ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, "no variant of " + file
                            + " suits this machine's profile " + traits.id()));
        }
        OnnxModel model = OnnxModel.fromBytes(pkg.readFile(variant.file()), file + "!" + variant.file());
        return new Resolved(model, pkg.manifest().name() + " " + pkg.manifest().version() + " (" + file.getFileName() + ")",
                variant.id());
    }
}
