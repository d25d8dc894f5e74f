package io.edgeloop.server.packages;

import io.edgeloop.protocol.EdgeLoopException;

import java.util.List;

/**
 * Who still refers to a package, so that it is not deleted under them. The rollout engine
 * implements this over its rollouts; {@link DesiredModelReferences} covers devices whose desired
 * model it is.
 */
@FunctionalInterface
public interface PackageReferences {
    /** Human-readable referrers ("rollout r-17"), empty when nothing refers to the package. */
    List<String> referencesTo(String name, String version) throws EdgeLoopException;
}
