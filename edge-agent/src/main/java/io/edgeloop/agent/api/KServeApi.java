package io.edgeloop.agent.api;

import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.engine.TensorSpec;
import io.edgeloop.agent.serving.InferenceService;
import io.edgeloop.agent.serving.ServedModel;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The KServe Open Inference Protocol v2 REST routes: health, server and model metadata, ready
 * and infer, plus ground-truth feedback. Parsing and answering happen on the event loop; the
 * engine runs on the batcher's threads.
 */
public final class KServeApi {
    static final String SERVER_NAME = "edgeloop-agent";
    static final String SERVER_VERSION = "0.1.0";

    private final InferenceService service;
    private final InferRequestParser parser;
    private final BooleanSupplier ready;

    public KServeApi(InferenceService service, ApiOptions options, BooleanSupplier ready) {
        this.service = service;
        this.parser = new InferRequestParser(options.maxElements());
        this.ready = ready;
    }

    public void mount(Router router) {
        router.get("/v2/health/live").handler(ctx -> Responses.json(ctx, 200, Map.of("live", true)));
        router.get("/v2/health/ready").handler(ctx -> readiness(ctx, ready.getAsBoolean()));
        router.get("/v2").handler(ctx -> Responses.json(ctx, 200, Map.of("name", SERVER_NAME, "version", SERVER_VERSION,
                "extensions", List.of("binary_tensor_data", "edgeloop_feedback", "edgeloop_drift"))));
        router.get("/v2/models/:name").handler(ctx -> metadata(ctx, null));
        router.get("/v2/models/:name/versions/:version").handler(ctx -> metadata(ctx, ctx.pathParam("version")));
        router.get("/v2/models/:name/ready").handler(ctx -> modelReady(ctx, null));
        router.get("/v2/models/:name/versions/:version/ready").handler(ctx -> modelReady(ctx, ctx.pathParam("version")));
        router.post("/v2/models/:name/infer").handler(ctx -> infer(ctx, null));
        router.post("/v2/models/:name/versions/:version/infer").handler(ctx -> infer(ctx, ctx.pathParam("version")));
        router.post("/v2/models/:name/feedback").handler(this::feedback);
    }

    private static void readiness(RoutingContext ctx, boolean isReady) {
        Responses.json(ctx, isReady ? 200 : 503, Map.of("ready", isReady));
    }

    private void modelReady(RoutingContext ctx, String version) {
        try {
            service.registry().get(ctx.pathParam("name"), version);
            readiness(ctx, ready.getAsBoolean());
        } catch (EdgeLoopException e) {
            Responses.fail(ctx, e);
        }
    }

    private void metadata(RoutingContext ctx, String version) {
        try {
            ServedModel model = service.registry().get(ctx.pathParam("name"), version);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", model.name());
            body.put("versions", List.of(model.version()));
            body.put("platform", model.descriptor().framework().equals("onnx") ? "onnxruntime_onnx" : "pytorch_torchscript");
            body.put("inputs", specs(model.session().inputs()));
            body.put("outputs", specs(model.session().outputs()));
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("variant", model.descriptor().variant());
            parameters.put("execution_provider", model.session().executionProvider());
            parameters.put("classes", model.descriptor().classes());
            body.put("parameters", parameters);
            Responses.json(ctx, 200, body);
        } catch (EdgeLoopException e) {
            Responses.fail(ctx, e);
        }
    }

    private static List<Map<String, Object>> specs(List<TensorSpec> specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            out.add(Map.of("name", s.name(), "datatype", s.type().name(), "shape", s.shape()));
        }
        return out;
    }

    private void infer(RoutingContext ctx, String version) {
        try {
            if (!ready.getAsBoolean()) {
                Responses.error(ctx, ErrorCode.SHUTTING_DOWN, "the agent is shutting down");
                return;
            }
            String name = ctx.pathParam("name");
            ServedModel model = service.registry().get(name, version);
            Buffer body = ctx.body().buffer();
            byte[] bytes = body == null ? new byte[0] : body.getBytes();
            String headerLength = ctx.request().getHeader(BinaryTensorData.HEADER);
            InferRequest request = headerLength == null ? parser.parse(bytes) : parser.parse(bytes, length(headerLength));
            for (Tensor t : request.inputs()) {
                if (t.length() == 0) {
                    throw new BadRequestException("input '" + t.name() + "' is empty");
                }
            }
            List<String> wanted = request.outputs();
            for (String out : wanted) {
                if (model.session().outputs().stream().noneMatch(s -> s.name().equals(out))) {
                    throw new BadRequestException("model '" + name + "' has no output '" + out + "'");
                }
            }
            service.infer(name, version, request.id(), request.inputs(), request.capture()).whenComplete((result, error) -> {
                if (error != null) {
                    Responses.fail(ctx, error);
                    return;
                }
                List<Tensor> outputs = result.outputs();
                if (!wanted.isEmpty()) {
                    outputs = outputs.stream().filter(t -> wanted.contains(t.name())).toList();
                }
                if (outputs.stream().noneMatch(t -> request.binary(t.name()))) {
                    Responses.send(ctx, 200, InferResponseWriter.write(result.model(), result.version(), result.id(), outputs));
                    return;
                }
                InferResponseWriter.Encoded encoded = InferResponseWriter.write(result.model(), result.version(),
                        result.id(), outputs, request::binary);
                ctx.response().putHeader(BinaryTensorData.HEADER, Integer.toString(encoded.jsonLength()));
                Responses.send(ctx, 200, encoded.bytes(), "application/octet-stream");
            });
        } catch (EdgeLoopException | RuntimeException e) {
            Responses.fail(ctx, e);
        }
    }

    private static long length(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(BinaryTensorData.HEADER + " must be a byte count, not '" + header + "'");
        }
    }

    private void feedback(RoutingContext ctx) {
        try {
            Buffer body = ctx.body().buffer();
            if (body == null) {
                throw new BadRequestException(ErrorCode.INVALID_ARGUMENT, "feedback needs a body {\"id\": requestId, \"label\": classIndex}");
            }
            Feedback fb;
            try {
                fb = Responses.JSON.readValue(body.getBytes(), Feedback.class);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new BadRequestException(ErrorCode.INVALID_ARGUMENT, "feedback must be {\"id\": requestId, \"label\": classIndex}: "
                        + e.getOriginalMessage());
            } catch (java.io.IOException e) {
                throw new BadRequestException(ErrorCode.INVALID_ARGUMENT, "unreadable feedback body");
            }
            if (fb.id() == null || fb.label() == null || fb.label() < 0) {
                throw new BadRequestException(ErrorCode.INVALID_ARGUMENT, "feedback needs a string 'id' and a non-negative integer 'label'");
            }
            InferenceService.Feedback result = service.feedback(ctx.pathParam("name"), fb.id(), fb.label());
            if (!result.matched() && !result.labelled()) {
                Responses.error(ctx, ErrorCode.PREDICTION_NOT_FOUND, "no recent prediction with id '" + fb.id()
                        + "' (or the model has no drift baseline)");
                return;
            }
            Responses.json(ctx, 200, Map.of("matched", result.matched(), "labelled", result.labelled()));
        } catch (BadRequestException | EdgeLoopException e) {
            Responses.fail(ctx, e);
        }
    }

    /** The feedback body. */
    record Feedback(String id, Integer label) {
    }
}
