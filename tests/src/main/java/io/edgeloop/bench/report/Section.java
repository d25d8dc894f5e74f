package io.edgeloop.bench.report;

import java.util.List;
import java.util.Optional;

/**
 * One part of BENCHMARKS.md: the commands that measure one comparison, and how to find the
 * figures in their output. Steps run one after the other; a step runs only when the ones before
 * it succeeded.
 */
public interface Section {
    /** The name {@code --only} takes. */
    String name();

    /** The heading. */
    String title();

    /** One paragraph: what is compared with what. */
    String description();

    /** A prerequisite this machine lacks and how to install it, or empty when the section can run. */
    Optional<String> missing(Prerequisites prerequisites);

    /** The commands for this run's mode, in order. */
    List<Step> steps(SectionContext context);

    /** The figures, from the steps' output (the results of the steps that ran, in order). */
    Figures figures(List<StepResult> results);
}
