package io.edgeloop.protocol.message;

/**
 * Host resource figures for a {@link HealthReport}.
 *
 * @param cpuPercent process CPU use; 100 per fully used core, so it may exceed 100
 * @param memoryBytes resident memory of the agent process
 * @param diskFreeBytes free space on the agent's data directory's file system
 * @param uptimeSeconds seconds since the agent started
 */
public record ResourceUsage(double cpuPercent, long memoryBytes, long diskFreeBytes, long uptimeSeconds) {
    public ResourceUsage {
        FieldChecks.nonNegative("cpuPercent", cpuPercent);
        FieldChecks.nonNegative("memoryBytes", memoryBytes);
        FieldChecks.nonNegative("diskFreeBytes", diskFreeBytes);
        FieldChecks.nonNegative("uptimeSeconds", uptimeSeconds);
    }
}
