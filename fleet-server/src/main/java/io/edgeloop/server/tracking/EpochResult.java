package io.edgeloop.server.tracking;

/**
 * What one epoch measured: mean training loss, validation loss and accuracy (accuracy is NaN
 * for regression), and its wall time.
 */
public record EpochResult(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                          double seconds) {
}
