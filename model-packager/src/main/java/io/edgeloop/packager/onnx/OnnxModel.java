package io.edgeloop.packager.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.edgeloop.packager.onnx.proto.OnnxProto.GraphProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ModelProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.NodeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.TensorShapeProto;
import io.edgeloop.packager.onnx.proto.OnnxProto.ValueInfoProto;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An immutable ONNX model: the parsed {@link ModelProto} plus the questions tools ask of it
 * (inputs, outputs, opset, operator census, parameter count, size). Transformations (quantizers,
 * exporters) work on the proto's builders and wrap the result in a new {@code OnnxModel}.
 */
public final class OnnxModel {
    private final ModelProto proto;
    private final byte[] bytes;

    private OnnxModel(ModelProto proto, byte[] bytes) {
        this.proto = proto;
        this.bytes = bytes;
    }

    public static OnnxModel of(ModelProto proto) {
        return new OnnxModel(proto, proto.toByteArray());
    }

    /** Parses serialized ONNX bytes; a file that is not a model with a graph is refused. */
    public static OnnxModel fromBytes(byte[] bytes, String origin) throws EdgeLoopException {
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, origin + " is not an ONNX protobuf: " + e.getMessage(), e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, origin + " holds no ONNX graph");
        }
        if (proto.getIrVersion() <= 0) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, origin + " has no ir_version");
        }
        return new OnnxModel(proto, bytes.clone());
    }

    public static OnnxModel load(Path path) throws EdgeLoopException {
        try {
            return fromBytes(Files.readAllBytes(path), path.toString());
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    public void save(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(path, bytes);
    }

    public ModelProto proto() {
        return proto;
    }

    public GraphProto graph() {
        return proto.getGraph();
    }

    /** The serialized model (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    public long sizeBytes() {
        return bytes.length;
    }

    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Graph inputs a caller must feed: declared inputs that are not initializers (older exporters list both). */
    public List<TensorInfo> inputs() {
        Set<String> init = initializerNames();
        return graph().getInputList().stream().filter(v -> !init.contains(v.getName()))
                .map(OnnxModel::info).toList();
    }

    public List<TensorInfo> outputs() {
        return graph().getOutputList().stream().map(OnnxModel::info).toList();
    }

    /** The version of the default ({@code ai.onnx}) operator set. */
    public long opsetVersion() {
        return proto.getOpsetImportList().stream()
                .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OperatorSetIdProto::getVersion).findFirst().orElse(0);
    }

    /** Operator type → node count, sorted by type; ops outside the default domain as {@code domain:Op}. */
    public Map<String, Integer> operatorCensus() {
        Map<String, Integer> census = new TreeMap<>();
        for (NodeProto n : graph().getNodeList()) {
            String key = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")
                    ? n.getOpType() : n.getDomain() + ":" + n.getOpType();
            census.merge(key, 1, Integer::sum);
        }
        return census;
    }

    /** Number of values in all initializers (weights, biases, quantization parameters). */
    public long parameterCount() {
        return graph().getInitializerList().stream().mapToLong(Tensors::elementCount).sum();
    }

    /** Bytes held by initializers (weights), by their element type. */
    public long weightBytes() {
        return graph().getInitializerList().stream()
                .mapToLong(t -> Tensors.elementCount(t) * ElementType.byteSize(t.getDataType())).sum();
    }

    public Optional<TensorProto> initializer(String name) {
        return graph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst();
    }

    public Set<String> initializerNames() {
        return graph().getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
    }

    /** A summary of the model for {@code inspect} and manifests. */
    public ModelSummary summary() {
        return new ModelSummary(proto.getIrVersion(), opsetVersion(), proto.getProducerName(),
                proto.getProducerVersion(), inputs(), outputs(), operatorCensus(), parameterCount(),
                sizeBytes(), sha256());
    }

    static TensorInfo info(ValueInfoProto v) {
        List<Long> shape = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String type = "UNDEFINED";
        if (v.hasType() && v.getType().hasTensorType()) {
            var tt = v.getType().getTensorType();
            type = ElementType.name(tt.getElemType());
            for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
                shape.add(d.hasDimValue() ? d.getDimValue() : -1L);
                names.add(d.hasDimParam() ? d.getDimParam() : "");
            }
        }
        return new TensorInfo(v.getName(), type, shape, names);
    }
}
