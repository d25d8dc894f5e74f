package io.edgeloop.packageformat;

/**
 * What the packager measured for one variant on the reference data. Values that were not
 * measured are null (e.g. agreement with fp32 for the fp32 variant itself).
 *
 * @param top1AgreementWithFp32 fraction of samples where the variant's top-1 class equals fp32's
 * @param latencyUsP50          median single-sample latency on the packaging host, microseconds
 * @param throughputPerS        samples per second at the measured batch size on the packaging host
 * @param sizeBytes             size of the variant's model file
 */
public record VariantMetrics(Double accuracy, Double f1Macro, Double top1AgreementWithFp32, Double latencyUsP50,
                             Double throughputPerS, long sizeBytes) {
}
