package io.edgeloop.bench.report;

import java.nio.file.Path;

/**
 * What a section's commands may depend on: the mode and the section's own work folder (a path
 * relative to the repository root, so the commands read as they would be typed there).
 *
 * @param quick      smoke sizes instead of the full ones
 * @param work       the section's work folder, relative to the repository root
 * @param driftModel a trained CNN to use instead of training one, or null
 */
public record SectionContext(boolean quick, Path work, Path driftModel) {
    /** A path under the work folder, as a command argument. */
    public String file(String name) {
        return work.resolve(name).toString();
    }
}
