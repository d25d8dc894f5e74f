package io.edgeloop.server.training;

import ai.djl.Model;
import ai.djl.nn.Block;
import io.edgeloop.server.tracking.EpochResult;

import java.util.List;

/**
 * A trained DJL network and its per-epoch history. Holds native PyTorch memory: close it.
 */
public record TrainedNetwork(Model model, Block block, boolean classifier, List<EpochResult> epochs)
        implements AutoCloseable {

    public TrainedNetwork {
        epochs = List.copyOf(epochs);
    }

    @Override
    public void close() {
        model.close();
    }
}
