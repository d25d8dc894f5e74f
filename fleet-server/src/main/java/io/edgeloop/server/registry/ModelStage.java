package io.edgeloop.server.registry;

import java.util.Locale;

/** Life-cycle stages of a model version: {@code candidate → staging → production → archived}. */
public enum ModelStage {
    CANDIDATE, STAGING, PRODUCTION, ARCHIVED;

    public static ModelStage parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown stage '" + name + "'; use candidate, staging, production or archived");
        }
    }

    /** Whether a version may move from this stage to {@code next}: forward only, archiving any time. */
    public boolean canMoveTo(ModelStage next) {
        return next == ARCHIVED ? this != ARCHIVED : next.ordinal() > ordinal() && this != ARCHIVED;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
