package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.ErrorResponse;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.registry.ModelStage;
import io.edgeloop.server.tracking.RunComparison;
import io.edgeloop.server.tracking.RunRepository;
import io.edgeloop.server.training.ModelArchitecture;
import io.edgeloop.server.training.TrainingOptions;
import io.edgeloop.server.training.TrainingPipeline;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * REST routes for training, tracking and the model registry under {@code /api/v1} (documented in
 * {@code openapi/edgeloop.yaml}). Training runs are accepted with 202 and run one at a time on
 * a dedicated thread; the run id answers at once and its state is polled with GET.
 */
public final class TrainingRoutes implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingPipeline pipeline;
    private final RunRepository runs;
    private final ModelRegistry registry;
    private final DatasetLoader loader;
    private final Path runsDir;
    private final ExecutorService trainer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "edgeloop-training");
        t.setDaemon(true);
        return t;
    });

    public TrainingRoutes(TrainingPipeline pipeline, RunRepository runs, ModelRegistry registry, DatasetLoader loader,
                          Path runsDir) {
        this.pipeline = pipeline;
        this.runs = runs;
        this.registry = registry;
        this.loader = loader;
        this.runsDir = runsDir;
    }

    /**
     * Mounts the routes behind {@code read} (GET) and {@code change} (POST) token checks; a body
     * handler must already run on {@code /api/v1/*}.
     */
    public void mount(Vertx vertx, Router router, Handler<RoutingContext> read, Handler<RoutingContext> change) {
        router.post("/api/v1/training-runs").handler(change).handler(ctx -> blocking(vertx, ctx, () -> startRun(ctx)));
        router.get("/api/v1/training-runs").handler(read).handler(ctx -> blocking(vertx, ctx, () -> reply(ctx, 200, runs.list())));
        router.get("/api/v1/training-runs/compare").handler(read).handler(ctx -> blocking(vertx, ctx, () -> reply(ctx, 200,
                RunComparison.of(runs.get(param(ctx, "a")), runs.get(param(ctx, "b"))))));
        router.get("/api/v1/training-runs/:id").handler(read).handler(ctx -> blocking(vertx, ctx,
                () -> reply(ctx, 200, runs.get(ctx.pathParam("id")))));
        router.get("/api/v1/models").handler(read).handler(ctx -> blocking(vertx, ctx, () -> reply(ctx, 200, registry.all())));
        router.get("/api/v1/models/:name/versions").handler(read).handler(ctx -> blocking(vertx, ctx,
                () -> reply(ctx, 200, registry.versions(ctx.pathParam("name")))));
        router.post("/api/v1/models/:name/versions").handler(change).handler(ctx -> blocking(vertx, ctx, () -> reply(ctx, 201,
                registry.register(ctx.pathParam("name"), runs.get(text(body(ctx), "runId", null))))));
        router.post("/api/v1/models/:name/versions/:version/promote").handler(change).handler(ctx -> blocking(vertx, ctx,
                () -> promote(ctx)));
        router.get("/api/v1/models/:name/gate-decisions").handler(read).handler(ctx -> blocking(vertx, ctx,
                () -> reply(ctx, 200, registry.decisions(ctx.pathParam("name")))));
    }

    private void startRun(RoutingContext ctx) throws EdgeLoopException {
        JsonNode body = body(ctx);
        String dataset = text(body, "dataset", "fashion-mnist");
        String spec = dataset.equals("fashion-mnist") ? "fashion-mnist:train" : dataset;
        TrainingOptions options = options(body);
        String id = pipeline.begin(spec, options);
        Path out = runsDir.resolve(id);
        trainer.submit(() -> {
            try {
                pipeline.run(id, spec, options, out);
            } catch (EdgeLoopException | RuntimeException e) {
                // The pipeline recorded the failure on the run; GET shows it.
            }
        });
        ctx.response().putHeader("Location", "/api/v1/training-runs/" + id);
        reply(ctx, 202, Map.of("id", id, "status", "RUNNING", "outDir", out.toString()));
    }

    private void promote(RoutingContext ctx) throws EdgeLoopException {
        JsonNode body = body(ctx);
        ModelStage stage;
        int version;
        try {
            stage = ModelStage.parse(text(body, "stage", null));
            version = Integer.parseInt(ctx.pathParam("version"));
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
        String holdout = text(body, "holdout", "fashion-mnist:test");
        try {
            reply(ctx, 200, registry.promote(ApiRouter.actor(ctx), ctx.pathParam("name"), version, stage,
                    loader.load(holdout)));
        } catch (EdgeLoopException e) {
            if (e.code() != ErrorCode.EVALUATION_GATE_FAILED) {
                throw e;
            }
            List<?> decisions = registry.decisions(ctx.pathParam("name"));
            HttpErrors.reply(ctx, ErrorResponse.of(e), Map.of("decision", decisions.get(decisions.size() - 1)));
        }
    }

    static TrainingOptions options(JsonNode b) throws EdgeLoopException {
        try {
            List<Integer> hidden = new ArrayList<>();
            if (b.has("hiddenLayers")) {
                b.get("hiddenLayers").forEach(n -> hidden.add(n.asInt()));
            } else {
                hidden.addAll(TrainingOptions.DEFAULT_HIDDEN_LAYERS);
            }
            return new TrainingOptions(ModelArchitecture.parse(text(b, "model", "mlp")), hidden,
                    text(b, "optimizer", TrainingOptions.DEFAULT_OPTIMIZER),
                    b.path("learningRate").asDouble(TrainingOptions.DEFAULT_LEARNING_RATE),
                    text(b, "schedule", TrainingOptions.DEFAULT_SCHEDULE),
                    b.path("batchSize").asInt(TrainingOptions.DEFAULT_BATCH_SIZE),
                    b.path("epochs").asInt(TrainingOptions.DEFAULT_EPOCHS),
                    b.path("seed").asLong(TrainingOptions.DEFAULT_SEED),
                    b.path("threads").asInt(TrainingOptions.DEFAULT_THREADS),
                    b.path("patience").asInt(TrainingOptions.DEFAULT_PATIENCE),
                    b.path("validationFraction").asDouble(TrainingOptions.DEFAULT_VALIDATION_FRACTION),
                    text(b, "device", TrainingOptions.DEFAULT_DEVICE));
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs database and ONNX work off the event loop, and maps failures to error answers. */
    private static void blocking(Vertx vertx, RoutingContext ctx, Action action) {
        vertx.executeBlocking(() -> {
            try {
                action.run();
            } catch (Exception e) {
                HttpErrors.fail(ctx, e);
            }
            return null;
        }, false);
    }

    private static JsonNode body(RoutingContext ctx) throws EdgeLoopException {
        try {
            String text = ctx.body() == null ? null : ctx.body().asString();
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (Exception e) {
            throw new EdgeLoopException(ErrorCode.MALFORMED_MESSAGE, "the request body is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field, String fallback) throws EdgeLoopException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "the request body needs '" + field + "'");
            }
            return fallback;
        }
        return v.asText();
    }

    private static String param(RoutingContext ctx, String name) throws EdgeLoopException {
        String v = ctx.queryParams().get(name);
        if (v == null) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "query parameter '" + name + "' is required");
        }
        return v;
    }

    private static void reply(RoutingContext ctx, int status, Object value) {
        String text;
        try {
            text = JSON.writeValueAsString(value);
        } catch (Exception e) {
            HttpErrors.fail(ctx, e);
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }

    @Override
    public void close() {
        trainer.shutdownNow();
    }
}
