package io.edgeloop.server.training;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetSplits;
import io.edgeloop.packager.export.DjlOnnxExporter;
import io.edgeloop.packager.export.ExportCheck;
import io.edgeloop.packager.export.FeatureScaling;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Standardisation is learned on the training split only and applied identically by the exported graph. */
class ExportScalingTest {
    @TempDir
    Path dir;

    @Test
    void scalingIsLearnedOnTheTrainingSplitOnly() {
        Dataset all = TrainingFixtures.tabular(600, 3);
        DatasetSplits.Split split = DatasetSplits.stratified(all, 0.2, 0.2, 3);
        FeatureScaling fromTrain = FeatureScaling.learnPerFeature(split.train().features(), 4);
        FeatureScaling fromAll = FeatureScaling.learnPerFeature(all.features(), 4);
        // Learned from the training rows: its mean is the training rows' mean, not the whole set's.
        double trainMean = 0;
        for (int r = 0; r < split.train().size(); r++) {
            trainMean += split.train().features()[r * 4];
        }
        trainMean /= split.train().size();
        assertEquals(trainMean, fromTrain.mean()[0], 1e-2);
        assertNotEquals(fromAll.mean()[0], fromTrain.mean()[0]);
    }

    @Test
    void exportedGraphTakesRawFeaturesAndMatchesDjlOnStandardisedOnes() throws Exception {
        Dataset all = TrainingFixtures.tabular(900, 4);
        DatasetSplits.Split split = DatasetSplits.stratified(all, 0.2, 0.2, 4);
        FeatureScaling scaling = FeatureScaling.learnPerFeature(split.train().features(), 4);
        TrainingOptions options = TrainingFixtures.quick(ModelArchitecture.MLP, 5);
        try (TrainedNetwork net = new NetworkTrainer(options, TrainingPipelineTest.QUIET)
                .train(TrainingPipeline.scaled(split.train(), scaling), TrainingPipeline.scaled(split.validation(), scaling))) {
            Path onnx = dir.resolve("tabular.onnx");
            Dataset test = split.test();
            double diff = new DjlOnnxExporter(ExportCheck.defaults())
                    .export(net.block(), scaling, new long[] {4}, true, test.features(), onnx);
            assertTrue(diff <= 1e-4, "max abs diff " + diff);

            // Serving: raw features into ONNX Runtime give DJL's classes on standardised features.
            int[] djl = DjlPredictions.classes(net.block(), TrainingPipeline.scaled(test, scaling));
            int[] served = new io.edgeloop.server.evaluation.OnnxHoldoutEvaluator().predict(onnx, test);
            assertArrayEquals(djl, served);
            // ...and the graph really standardises: feeding it pre-standardised rows changes the answer.
            float[] raw = run(onnx, test.features(), test.size());
            float[] twice = run(onnx, scaling.apply(test.features(), 4), test.size());
            assertFalse(java.util.Arrays.equals(raw, twice));
        }
    }

    @Test
    void exportFailsWhenOnnxRuntimeDisagreesWithDjl() throws Exception {
        Dataset all = TrainingFixtures.tabular(300, 5);
        FeatureScaling scaling = FeatureScaling.learnPerFeature(all.features(), 4);
        try (TrainedNetwork net = new NetworkTrainer(TrainingFixtures.quick(ModelArchitecture.LOGREG, 1),
                TrainingPipelineTest.QUIET).train(TrainingPipeline.scaled(all, scaling), TrainingPipeline.scaled(all, scaling))) {
            // A graph whose scaling differs from the one the check applies is a skewed export.
            byte[] skewed = new DjlOnnxExporter(ExportCheck.defaults())
                    .toOnnx(net.block(), FeatureScaling.identity(4), new long[] {4}, true).toByteArray();
            EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> ExportCheck.defaults()
                    .verify(skewed, net.block(), scaling, new long[] {4}, true, all.head(32).features()));
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
            assertTrue(e.getMessage().contains("export check failed"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("never.onnx")));
        }
    }

    private static float[] run(Path onnx, float[] x, int rows) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, 4});
             OrtSession.Result result = session.run(Map.of(DjlOnnxExporter.INPUT, input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }
}
