package io.edgeloop.protocol.message;

/**
 * How a shadow version compares with the active one on the same requests.
 *
 * @param model the shadow version
 * @param agreementRate share of requests where shadow and active gave the same top class, in [0, 1]
 * @param latencyDeltaMicros shadow minus active median latency, in microseconds (negative: shadow faster)
 * @param comparedCount requests both versions answered in the window
 */
public record ShadowStats(ModelRef model, double agreementRate, double latencyDeltaMicros, long comparedCount) {
    public ShadowStats {
        FieldChecks.present("model", model);
        FieldChecks.unit("agreementRate", agreementRate);
        FieldChecks.finite("latencyDeltaMicros", latencyDeltaMicros);
        FieldChecks.nonNegative("comparedCount", comparedCount);
    }
}
