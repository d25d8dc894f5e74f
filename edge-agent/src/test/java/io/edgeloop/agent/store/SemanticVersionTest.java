package io.edgeloop.agent.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SemanticVersionTest {
    @Test
    void ordersBySemanticVersionRules() {
        assertTrue(SemanticVersion.isOlder("1.9.0", "1.10.0"));
        assertTrue(SemanticVersion.isOlder("1", "1.0.1"));
        assertTrue(SemanticVersion.isOlder("2.0.0-rc.1", "2.0.0"));
        assertTrue(SemanticVersion.isOlder("2.0.0-alpha", "2.0.0-alpha.1"));
        assertTrue(SemanticVersion.isOlder("2.0.0-alpha.2", "2.0.0-alpha.10"));
        assertTrue(SemanticVersion.isOlder("2.0.0-1", "2.0.0-alpha"));
        assertFalse(SemanticVersion.isOlder("1.0.0+build.7", "1.0.0"));
        assertFalse(SemanticVersion.isOlder("1.0.0", "1.0.0"));
        assertFalse(SemanticVersion.isOlder("2.0.0", "1.99.99"));
    }

    @Test
    void versionsOfAnotherShapeHaveNoOrder() {
        assertEquals(Optional.empty(), SemanticVersion.parse("nightly"));
        assertFalse(SemanticVersion.isOlder("nightly", "1.0.0"));
        assertFalse(SemanticVersion.isOlder("1.0.0", "nightly"));
        assertEquals(Optional.of("1.10.0"), SemanticVersion.highest(List.of("1.9.0", "nightly", "1.10.0", "1.2.0")));
    }
}
