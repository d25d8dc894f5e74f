package io.edgeloop.agent.engine.pytorch;

import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.edgeloop.agent.engine.ExecutionProviderChoice;
import io.edgeloop.agent.engine.ModelSession;
import io.edgeloop.agent.engine.ModelSignature;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.engine.TensorSpec;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A TorchScript model opened by DJL, serving the tensors its package declares: inputs are passed
 * positionally in declaration order, outputs are named in declaration order.
 *
 * <p>Thread safety: a DJL {@link Predictor} must not be shared between threads, so each
 * {@link #run} borrows an idle one from a pool (creating one when all are busy) and returns it;
 * the pool grows to the number of threads that ever ran at once. Every run's arrays live on its
 * own {@link NDManager}, closed when the run ends; {@link #close()} closes the predictors and the
 * model.
 */
final class PytorchModelSession implements ModelSession {
    private final Model model;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final ExecutionProviderChoice device;
    private final ConcurrentLinkedQueue<Predictor<NDList, NDList>> idle = new ConcurrentLinkedQueue<>();
    private final List<Predictor<NDList, NDList>> created = new ArrayList<>();
    private volatile boolean closed;

    PytorchModelSession(Model model, ModelSignature declared, ExecutionProviderChoice device) {
        this.model = model;
        this.inputs = declared.inputs();
        this.outputs = declared.outputs();
        this.device = device;
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public String executionProvider() {
        return device.provider();
    }

    @Override
    public List<Tensor> run(List<Tensor> given) throws EdgeLoopException {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        List<Tensor> ordered = InputCheck.ordered(inputs, given);
        Predictor<NDList, NDList> predictor = borrow();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList feed = new NDList(ordered.size());
            for (Tensor t : ordered) {
                feed.add(TensorConversion.toNd(manager, t));
            }
            NDList result = predictor.predict(feed);
            // Whatever manager DJL attached the outputs to, this run's manager now owns and frees them.
            result.attach(manager);
            if (result.size() < outputs.size()) {
                throw new EdgeLoopException(ErrorCode.INFERENCE_FAILED, "the model returned " + result.size()
                        + " output(s) but the package declares " + outputs.size() + " " + names(outputs));
            }
            List<Tensor> out = new ArrayList<>(outputs.size());
            for (int i = 0; i < outputs.size(); i++) {
                out.add(TensorConversion.fromNd(outputs.get(i), result.get(i)));
            }
            return out;
        } catch (TranslateException | EngineException e) {
            throw new EdgeLoopException(ErrorCode.INFERENCE_FAILED, "PyTorch failed: " + PytorchEngine.firstLine(e), e);
        } finally {
            idle.add(predictor);
        }
    }

    private Predictor<NDList, NDList> borrow() {
        Predictor<NDList, NDList> predictor = idle.poll();
        if (predictor != null) {
            return predictor;
        }
        synchronized (created) {
            if (closed) {
                throw new IllegalStateException("session is closed");
            }
            // The model's own device: left unnamed, DJL would probe for a GPU on every predictor.
            predictor = model.newPredictor(new NoopTranslator(), model.getNDManager().getDevice());
            created.add(predictor);
            return predictor;
        }
    }

    static String names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList().toString();
    }

    @Override
    public void close() {
        synchronized (created) {
            if (closed) {
                return;
            }
            closed = true;
            created.forEach(Predictor::close);
            created.clear();
            idle.clear();
        }
        model.close();
    }

    @Override
    public String toString() {
        return "PytorchModelSession[" + model.getName() + " on " + device.provider() + ", inputs "
                + Arrays.toString(inputs.toArray()) + "]";
    }
}
