package io.edgeloop.packager.quantize;

import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.eval.Predictions;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check every quantizer test makes: smaller file, real ORT run, top-1 agreement on 1000 real test images. */
final class QuantizersTestSupport {
    private QuantizersTestSupport() {
    }

    static void assertSmallAndAgreeing(OnnxModel fp32, OnnxModel int8, double maxRatio, double minAgreement) throws Exception {
        Dataset test = TestImages.test().head(1000);
        double ratio = (double) int8.sizeBytes() / fp32.sizeBytes();
        assertTrue(ratio <= maxRatio, "size ratio " + ratio);
        int[] a;
        int[] b;
        try (OrtRunner r = new OrtRunner(fp32, RunnerOptions.DEFAULT)) {
            a = Predictions.argmax(Predictions.outputs(r, fp32.inputs().get(0), test, 64));
        }
        try (OrtRunner r = new OrtRunner(int8, RunnerOptions.DEFAULT)) {
            b = Predictions.argmax(Predictions.outputs(r, int8.inputs().get(0), test, 64));
        }
        double agreement = Predictions.agreement(a, b);
        assertTrue(agreement >= minAgreement, "top-1 agreement " + agreement);
    }

}
