package io.edgeloop.server.api;

import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.ErrorResponse;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.registry.EvaluationGate;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.registry.ModelVersionRepository;
import io.edgeloop.server.tracking.RunRepository;
import io.edgeloop.server.training.CodeVersion;
import io.edgeloop.server.training.TrainingPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * {@code edgeloop server}: the fleet server's HTTP API. For now it serves training, tracking and
 * the model registry, on an embedded H2 database under {@code --data-dir}.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the fleet server's REST API.")
public final class ServerCommand implements Callable<Integer> {
    /** The server's HTTP port; the agent's is 8080, so both run on one machine with their defaults. */
    public static final int DEFAULT_PORT = 8090;

    @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = DEFAULT_PORT;

    @Option(names = "--data-dir", description = "Database and run artifacts folder (default: ${DEFAULT-VALUE}).")
    Path dataDir = Database.DEFAULT_DATA_DIR;

    @Option(names = "--gate-tolerance", description = "Accuracy a candidate may lose against production (default: 0.005).")
    double gateTolerance = EvaluationGate.Options.DEFAULT_TOLERANCE;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        try (Database db = Database.embedded(dataDir); Running running = start(db, dataDir, port, gateTolerance)) {
            System.err.printf("edgeloop server listening on http://localhost:%d/api/v1 (data in %s)%n",
                    running.port(), dataDir.toAbsolutePath());
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        } catch (EdgeLoopException e) {
            System.err.println("edgeloop server: " + e.describe());
            return 2;
        }
        return 0;
    }

    /** A started HTTP server and what it holds; close to stop it. */
    public record Running(Vertx vertx, HttpServer server, TrainingRoutes routes) implements AutoCloseable {
        public int port() {
            return server.actualPort();
        }

        @Override
        public void close() throws Exception {
            routes.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /** Wires the routes on {@code db} and listens on {@code port}. */
    public static Running start(Database db, Path dataDir, int port, double gateTolerance) throws Exception {
        RunRepository runs = new RunRepository(db);
        DatasetLoader loader = DatasetLoader.fromEnvironment();
        ModelRegistry registry = new ModelRegistry(new ModelVersionRepository(db),
                new EvaluationGate(new EvaluationGate.Options(gateTolerance), new OnnxHoldoutEvaluator()));
        TrainingPipeline pipeline = new TrainingPipeline(loader, runs, CodeVersion.current(), System.err);
        TrainingRoutes routes = new TrainingRoutes(pipeline, runs, registry, loader, dataDir.resolve("runs"));
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        routes.mount(vertx, router);
        HttpErrors.mount(router);
        HttpServer server;
        try {
            server = vertx.createHttpServer().requestHandler(router).listen(port)
                    .toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            routes.close();
            vertx.close();
            if (ErrorResponse.unwrap(e) instanceof BindException) {
                throw new EdgeLoopException(ErrorCode.PORT_IN_USE, "cannot listen on port " + port
                        + ": it is in use (pass --port N, or 0 for any free port)", e.getCause());
            }
            throw e;
        }
        return new Running(vertx, server, routes);
    }
}
