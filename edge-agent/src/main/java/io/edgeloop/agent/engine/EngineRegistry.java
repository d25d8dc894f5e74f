package io.edgeloop.agent.engine;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The engines present on the classpath, found once through {@link ServiceLoader}, each created
 * on first use and closed with the registry. The default agent jar carries only ONNX Runtime; the
 * PyTorch engine appears when its optional module is on the classpath.
 */
public final class EngineRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRegistry.class);

    private final List<EngineProvider> providers;
    private final Map<String, InferenceEngine> created = new HashMap<>();

    public EngineRegistry(List<EngineProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** The engines listed in {@code META-INF/services}. */
    public static EngineRegistry discover() {
        List<EngineProvider> found = new ArrayList<>();
        ServiceLoader.load(EngineProvider.class).forEach(found::add);
        LOG.info("inference engines found: {}", found.stream().map(EngineProvider::engineName).toList());
        return new EngineRegistry(found);
    }

    public List<String> names() {
        return providers.stream().map(EngineProvider::engineName).toList();
    }

    /** The engine for {@code framework}, created on first use. */
    public synchronized InferenceEngine forFramework(String framework) throws EdgeLoopException {
        for (EngineProvider provider : providers) {
            if (provider.supports(framework)) {
                return created.computeIfAbsent(provider.engineName(), n -> provider.create());
            }
        }
        throw new EdgeLoopException(ErrorCode.ENGINE_UNAVAILABLE, "no engine for framework '" + framework
                + "' among " + names() + (framework.equals("torchscript")
                ? "; add the edge-agent-engine-pytorch module to the agent's classpath (./edgeloop agent --with-pytorch,"
                + " or install.sh --with-pytorch)" : ""));
    }

    @Override
    public synchronized void close() {
        created.values().forEach(InferenceEngine::close);
        created.clear();
    }
}
