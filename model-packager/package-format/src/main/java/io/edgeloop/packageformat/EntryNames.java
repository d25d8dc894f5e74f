package io.edgeloop.packageformat;

import io.edgeloop.protocol.ErrorCode;

/**
 * Rules for zip entry names. A name must be a plain relative path: no leading '/', no drive
 * letter, no backslash (Windows would treat it as a separator), no NUL (C code would cut the name
 * there), no empty, '.' or '..' segment.
 */
final class EntryNames {
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.sig";

    private EntryNames() {
    }

    static void requireSafe(String name) throws PackageException {
        String why = problem(name);
        if (why != null) {
            throw new PackageException(ErrorCode.PACKAGE_UNSAFE_PATH,
                    "entry '" + printable(name) + "' " + why);
        }
    }

    static String problem(String name) {
        if (name.isEmpty()) {
            return "has an empty name";
        }
        if (name.indexOf('\0') >= 0) {
            return "contains a NUL character";
        }
        if (name.indexOf('\\') >= 0) {
            return "contains a backslash";
        }
        if (name.startsWith("/") || (name.length() > 1 && name.charAt(1) == ':')) {
            return "is an absolute path";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return "escapes the package with '..'";
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return "has an empty or '.' path segment";
            }
        }
        return null;
    }

    static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
