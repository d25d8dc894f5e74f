package io.edgeloop.server.demo;

/**
 * One stage of {@code edgeloop demo}. Each capability adds its stage; stages share results
 * through the {@link DemoContext}.
 */
public interface DemoStage {

    /** Short title shown in the progress line. */
    String title();

    /** Runs the stage, printing its progress and results to {@code context.out()}. */
    void run(DemoContext context) throws Exception;
}
