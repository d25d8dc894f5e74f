package io.edgeloop.agent.batch;

import io.edgeloop.agent.engine.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Concatenating requests along the first dimension and splitting the outputs back. */
final class Batch {
    private Batch() {
    }

    /** Whether two requests can share an engine call: same inputs, types and trailing dimensions. */
    static boolean compatible(List<Tensor> a, List<Tensor> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Tensor x = a.get(i);
            Tensor y = b.get(i);
            if (!x.name().equals(y.name()) || x.type() != y.type() || x.shape().length != y.shape().length
                    || x.shape().length == 0) {
                return false;
            }
            for (int d = 1; d < x.shape().length; d++) {
                if (x.shape()[d] != y.shape()[d]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One input list holding every request's rows, in order. */
    static List<Tensor> concat(List<List<Tensor>> requests, long totalRows) {
        List<Tensor> first = requests.get(0);
        List<Tensor> out = new ArrayList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            Tensor proto = first.get(i);
            long[] shape = proto.shape().clone();
            shape[0] = totalRows;
            Object data = proto.type().newArray(Math.toIntExact(Tensor.elementCount(shape)));
            int at = 0;
            for (List<Tensor> request : requests) {
                Tensor part = request.get(i);
                System.arraycopy(part.data(), 0, data, at, part.length());
                at += part.length();
            }
            out.add(new Tensor(proto.name(), proto.type(), shape, data));
        }
        return out;
    }

    /** Each request's slice of the batched outputs; null when an output is not batch-shaped. */
    static List<List<Tensor>> split(List<Tensor> outputs, long[] rows, long totalRows) {
        for (Tensor t : outputs) {
            if (t.shape().length == 0 || t.shape()[0] != totalRows) {
                return null;
            }
        }
        List<List<Tensor>> parts = new ArrayList<>(rows.length);
        int[] offsets = new int[outputs.size()];
        for (long r : rows) {
            List<Tensor> part = new ArrayList<>(outputs.size());
            for (int i = 0; i < outputs.size(); i++) {
                Tensor t = outputs.get(i);
                int width = Math.toIntExact(t.length() / totalRows);
                int len = Math.toIntExact(width * r);
                Object data = t.type().newArray(len);
                System.arraycopy(t.data(), offsets[i], data, 0, len);
                offsets[i] += len;
                long[] shape = Arrays.copyOf(t.shape(), t.shape().length);
                shape[0] = r;
                part.add(new Tensor(t.name(), t.type(), shape, data));
            }
            parts.add(part);
        }
        return parts;
    }
}
