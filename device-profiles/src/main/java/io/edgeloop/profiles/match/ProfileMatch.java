package io.edgeloop.profiles.match;

import io.edgeloop.profiles.catalog.DeviceProfile;

/**
 * The profile chosen for a machine.
 *
 * @param profile the best-scoring profile that fits
 * @param score   higher is more specific; generic fallbacks score at most 10
 * @param reason  one human sentence, e.g. "x86_64 with avx512f, avx512_vnni → x86-avx512-vnni-server"
 */
public record ProfileMatch(DeviceProfile profile, double score, String reason) {
}
