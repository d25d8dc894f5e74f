package io.edgeloop.server.fleet;

/** The server refused a request: its status, code and sentence, as the CLI prints them. */
public final class FleetClientException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public FleetClientException(int status, String code, String sentence) {
        super(sentence);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
