package io.edgeloop.profiles;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The probe fixture trees under {@code src/test/resources/fixtures}, one per device class. */
public final class Fixtures {
    private Fixtures() {
    }

    /** The root of a fixture tree, e.g. {@code root("rpi4")}. */
    public static Path root(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture '" + name + "' under src/test/resources/fixtures");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
