package io.edgeloop.server.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/** JSON text columns (parameters, metrics, artifacts): maps in, maps out. */
public final class JsonColumns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonColumns() {
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-serialisable: " + e.getMessage(), e);
        }
    }

    public static <V> Map<String, V> readMap(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, V>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getMessage(), e);
        }
    }
}
