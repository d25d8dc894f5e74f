package io.edgeloop.agent;

import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.store.ModelInstaller;
import io.edgeloop.agent.store.ModelStore;
import io.edgeloop.agent.store.OnnxFileInstaller;
import io.edgeloop.agent.store.PackageInstaller;
import io.edgeloop.packageformat.KnownProfiles;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.profiles.catalog.DeviceProfile;

import java.util.List;

/** Builds an installer for artifacts, given the agent's store, settings and device profile. */
@FunctionalInterface
public interface InstallerFactory {
    ModelInstaller create(ModelStore store, AgentOptions options, DeviceProfile device);

    /**
     * The installers of a standalone agent: signed packages (verified with the configured
     * publisher key, variant chosen for the device profile) and bare {@code .onnx} files, named
     * {@code bareModelName} (default: the file's stem) at {@code bareModelVersion} (default 1).
     */
    static List<InstallerFactory> standard(String bareModelName, String bareModelVersion) {
        return List.of(
                (store, options, device) -> new PackageInstaller(store, new PackageVerifier(PackageVerifier.Options.DEFAULTS),
                        () -> options.publicKey() == null ? null : KeyPairFiles.loadPublic(options.publicKey()),
                        KnownProfiles.traits(device), KnownProfiles.ALL),
                (store, options, device) -> new OnnxFileInstaller(store, bareModelName, bareModelVersion));
    }
}
