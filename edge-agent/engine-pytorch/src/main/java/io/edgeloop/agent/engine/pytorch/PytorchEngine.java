package io.edgeloop.agent.engine.pytorch;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import io.edgeloop.agent.engine.EngineOptions;
import io.edgeloop.agent.engine.ExecutionProviderChoice;
import io.edgeloop.agent.engine.InferenceEngine;
import io.edgeloop.agent.engine.ModelSession;
import io.edgeloop.agent.engine.ModelSignature;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The optional engine for {@code torchscript} packages: DJL's PyTorch engine, offline (the
 * natives come from the {@code pytorch-native-cpu} jar on the classpath, never from the network),
 * with the device profile's intra-op thread count, on a GPU when the loaded PyTorch has CUDA and
 * sees one, else on CPU with the reason logged. PyTorch's natives load on the first {@link #open}, so an agent that
 * carries this module but serves only ONNX pays nothing for it.
 */
public final class PytorchEngine implements InferenceEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PytorchEngine.class);
    static final String NAME = "pytorch";
    static final String FRAMEWORK = "torchscript";
    private static final String DJL_ENGINE = "PyTorch";
    private static final String OFFLINE = "ai.djl.offline";
    private static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private Engine djl;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supports(String framework) {
        return FRAMEWORK.equals(framework);
    }

    @Override
    public ModelSession open(Path modelFile, EngineOptions options) throws EdgeLoopException {
        throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "a TorchScript file carries no tensor names or shapes;"
                + " install " + modelFile.getFileName() + " from a torchscript package whose manifest declares them");
    }

    @Override
    public ModelSession open(Path modelFile, EngineOptions options, ModelSignature declared) throws EdgeLoopException {
        if (!Files.isRegularFile(modelFile)) {
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "model file " + modelFile + " does not exist");
        }
        if (declared.inputs().isEmpty() || declared.outputs().isEmpty()) {
            return open(modelFile, options); // refuses with the reason
        }
        TensorConversion.requireServable(declared);
        Engine engine = engine();
        ExecutionProviderChoice choice = chooseDevice(engine);
        setIntraOpThreads(options.intraOpThreads());
        Device device = choice.cuda() ? engine.defaultDevice() : Device.cpu();
        LOG.info("opening {} on {} with {} intra-op thread(s): {}", modelFile.getFileName(), choice.provider(),
                options.intraOpThreads(), choice.reason());
        Model model = Model.newInstance(modelFile.getFileName().toString(), device, DJL_ENGINE);
        try {
            // mapLocation: load the weights straight onto the chosen device, whatever device saved them.
            model.load(modelFile.getParent(), modelFile.getFileName().toString(), Map.of("mapLocation", "true"));
            return new PytorchModelSession(model, declared, choice);
        } catch (IOException | MalformedModelException | EngineException e) {
            model.close();
            throw new EdgeLoopException(ErrorCode.MODEL_INVALID, "PyTorch cannot load " + modelFile
                    + " as TorchScript: " + firstLine(e), e);
        }
    }

    /** DJL's PyTorch engine, loaded on first use with the network switched off unless the caller chose otherwise. */
    private synchronized Engine engine() throws EdgeLoopException {
        if (djl == null) {
            if (System.getProperty(OFFLINE) == null) {
                System.setProperty(OFFLINE, "true");
            }
            // One inference runs one model call; the inter-op pool only serves TorchScript forks,
            // and a single thread keeps it from taking the cores the batcher and HTTP threads need.
            if (System.getProperty(INTEROP_THREADS) == null) {
                System.setProperty(INTEROP_THREADS, "1");
            }
            try {
                djl = Engine.getEngine(DJL_ENGINE);
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                throw new EdgeLoopException(ErrorCode.ENGINE_UNAVAILABLE, "DJL's PyTorch engine cannot start"
                        + " (are pytorch-jni and pytorch-native-cpu for this architecture in the engine's lib folder?): "
                        + firstLine(e), e);
            }
            LOG.info("PyTorch {} loaded through DJL {}", djl.getVersion(), Engine.getDjlVersion());
        }
        return djl;
    }

    /** CUDA only where the loaded PyTorch build has it (pytorch-native-cpu does not) and a GPU is visible. */
    static ExecutionProviderChoice chooseDevice(Engine engine) {
        boolean cudaBuild = engine.hasCapability(StandardCapabilities.CUDA);
        // Asked only of a CUDA build: probing the driver from a CPU build logs a misleading warning.
        return chooseDevice(cudaBuild, cudaBuild ? engine.getGpuCount() : 0);
    }

    static ExecutionProviderChoice chooseDevice(boolean cudaBuild, int gpus) {
        if (!cudaBuild) {
            return new ExecutionProviderChoice("CPU", "the loaded PyTorch build has no CUDA (the module ships"
                    + " pytorch-native-cpu; put a pytorch-native-cu* jar in its lib folder for GPUs)");
        }
        if (gpus < 1) {
            return new ExecutionProviderChoice("CPU", "PyTorch is built with CUDA but sees no GPU");
        }
        return new ExecutionProviderChoice("CUDA", "PyTorch is built with CUDA and sees " + gpus + " GPU(s)");
    }

    /** PyTorch's intra-op pool is process-wide: the last model opened sets it for all. */
    private static void setIntraOpThreads(int threads) {
        if (JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
    }

    static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        // DJL's engine is process-wide and has no close; every model session closes its own Model.
    }
}
