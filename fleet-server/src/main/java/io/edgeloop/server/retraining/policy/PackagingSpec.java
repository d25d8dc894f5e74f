package io.edgeloop.server.retraining.policy;

/** What the candidate's package is calibrated and measured on (see the package endpoint). */
public record PackagingSpec(String calibrationDataset, String referenceDataset) {
    public static final PackagingSpec DEFAULTS = new PackagingSpec("fashion-mnist:train", "fashion-mnist:test");

    public PackagingSpec {
        PolicyChecks.text("package.calibrationDataset", calibrationDataset);
        PolicyChecks.text("package.referenceDataset", referenceDataset);
    }
}
