package io.edgeloop.server.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.edgeloop.packager.data.Dataset;

/** Inference with a trained DJL block, in chunks, for evaluation after training. */
final class DjlPredictions {
    private static final int CHUNK = 2000;

    private DjlPredictions() {
    }

    /** The block's raw outputs (logits or values) for every sample of {@code dataset}, on {@code manager}. */
    static NDArray forward(Block block, NDManager manager, Dataset dataset) {
        NDArray x = manager.create(dataset.features(),
                new Shape(NetworkTrainer.prepend(dataset.size(), dataset.featureShape())));
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
    }

    /** Predicted class indices (classification) of every sample. */
    static int[] classes(Block block, Dataset dataset) {
        int[] out = new int[dataset.size()];
        for (int from = 0; from < dataset.size(); from += CHUNK) {
            int to = Math.min(dataset.size(), from + CHUNK);
            try (NDManager manager = NDManager.newBaseManager(NetworkTrainer.ENGINE)) {
                long[] argmax = forward(block, manager, dataset.select(NetworkTrainer.range(from, to), dataset.name()))
                        .argMax(1).toLongArray();
                for (int i = 0; i < argmax.length; i++) {
                    out[from + i] = (int) argmax[i];
                }
            }
        }
        return out;
    }

    /** Predicted values (regression, one output) of every sample. */
    static float[] values(Block block, Dataset dataset) {
        float[] out = new float[dataset.size()];
        for (int from = 0; from < dataset.size(); from += CHUNK) {
            int to = Math.min(dataset.size(), from + CHUNK);
            try (NDManager manager = NDManager.newBaseManager(NetworkTrainer.ENGINE)) {
                float[] v = forward(block, manager, dataset.select(NetworkTrainer.range(from, to), dataset.name()))
                        .toFloatArray();
                System.arraycopy(v, 0, out, from, v.length);
            }
        }
        return out;
    }
}
