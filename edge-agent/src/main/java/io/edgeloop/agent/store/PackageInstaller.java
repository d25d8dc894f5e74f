package io.edgeloop.agent.store;

import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.ProfileTraits;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VariantSelector;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs a signed {@code .elpkg}: the signature and every hash are checked by
 * {@link PackageVerifier} before anything is extracted, the variant is chosen for this device's
 * profile, and only that variant's model file (re-hashed as it is read) and the manifest are
 * written into a new version directory of the store.
 */
public final class PackageInstaller implements ModelInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(PackageInstaller.class);

    private final ModelStore store;
    private final PackageVerifier verifier;
    private final PublisherKey publisherKey;
    private final ProfileTraits device;
    private final VariantSelector selector;

    /** Where the publisher's key comes from; read when a package is installed, so an agent without one still serves. */
    @FunctionalInterface
    public interface PublisherKey {
        /** The key, or null when none is configured. */
        PublicKey load() throws EdgeLoopException;
    }

    public PackageInstaller(ModelStore store, PackageVerifier verifier, PublisherKey publisherKey, ProfileTraits device,
                            List<ProfileTraits> knownProfiles) {
        this.store = store;
        this.verifier = verifier;
        this.publisherKey = publisherKey;
        this.device = device;
        this.selector = new VariantSelector(knownProfiles);
    }

    @Override
    public boolean accepts(Path file) {
        return file.getFileName().toString().endsWith(".elpkg");
    }

    @Override
    public ModelDescriptor install(Path file) throws EdgeLoopException {
        PublicKey key = publisherKey.load();
        if (key == null) {
            throw new EdgeLoopException(ErrorCode.PACKAGE_KEY_MISSING, "cannot verify " + file.getFileName());
        }
        VerifiedPackage pkg = verifier.verify(file, key);
        Manifest manifest = pkg.manifest();
        Variant variant = selector.select(manifest, device).orElseThrow(() -> new EdgeLoopException(
                ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, "no variant of " + manifest.name() + " " + manifest.version()
                + " suits device profile '" + device.id() + "'; variants: "
                + manifest.variants().stream().map(Variant::id).toList()));
        if (store.versions(manifest.name()).contains(manifest.version())) {
            LOG.info("{} {} is already installed", manifest.name(), manifest.version());
            return store.descriptor(manifest.name(), manifest.version());
        }
        String modelFile = manifest.framework().equals("torchscript") ? "model.pt" : "model.onnx";
        ModelDescriptor descriptor = new ModelDescriptor(manifest.name(), manifest.version(), manifest.framework(),
                modelFile, variant.id(), manifest.labels(), manifest.baseline());
        Map<String, ModelStore.InputStreamSource> files = new LinkedHashMap<>();
        files.put(modelFile, () -> {
            try {
                return new ByteArrayInputStream(pkg.readFile(variant.file()));
            } catch (EdgeLoopException e) {
                throw new java.io.IOException(e.describe(), e);
            }
        });
        files.put("manifest.json", () -> new ByteArrayInputStream(pkg.manifestBytes()));
        store.install(descriptor, files);
        LOG.info("installed package {} {} variant {} for profile {} (signed by key {})", manifest.name(),
                manifest.version(), variant.id(), device.id(), pkg.keyId());
        return descriptor;
    }
}
