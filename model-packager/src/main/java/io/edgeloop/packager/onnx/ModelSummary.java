package io.edgeloop.packager.onnx;

import java.util.List;
import java.util.Map;

/**
 * What {@code edgeloop inspect} and package manifests report about an ONNX model.
 *
 * @param operatorCensus operator type → node count
 * @param parameterCount values held in initializers
 */
public record ModelSummary(long irVersion, long opsetVersion, String producerName, String producerVersion,
                           List<TensorInfo> inputs, List<TensorInfo> outputs,
                           Map<String, Integer> operatorCensus, long parameterCount, long sizeBytes,
                           String sha256) {

    public ModelSummary {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        operatorCensus = Map.copyOf(operatorCensus);
    }

    /** A few human-readable lines, for terminals. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("ONNX ir_version ").append(irVersion).append(", opset ").append(opsetVersion);
        if (!producerName.isEmpty()) {
            sb.append(", produced by ").append(producerName).append(' ').append(producerVersion);
        }
        sb.append('\n');
        for (TensorInfo t : inputs) {
            sb.append("  input  ").append(t.name()).append(' ').append(t.dataType()).append(' ')
                    .append(t.shapeText()).append('\n');
        }
        for (TensorInfo t : outputs) {
            sb.append("  output ").append(t.name()).append(' ').append(t.dataType()).append(' ')
                    .append(t.shapeText()).append('\n');
        }
        sb.append("  operators ").append(new java.util.TreeMap<>(operatorCensus)).append('\n');
        sb.append("  parameters ").append(parameterCount).append(", ").append(sizeBytes).append(" bytes, sha256 ")
                .append(sha256).append('\n');
        return sb.toString();
    }
}
