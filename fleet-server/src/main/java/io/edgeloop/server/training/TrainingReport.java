package io.edgeloop.server.training;

import io.edgeloop.packager.eval.ClassificationMetrics;
import io.edgeloop.packager.eval.RegressionMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns evaluation results into the flat, JSON-ready metrics map written to {@code metrics.json}. */
public final class TrainingReport {
    public static final String TEST_ACCURACY = "test_accuracy";
    public static final String F1_MACRO = "f1_macro";
    public static final String TRAIN_SECONDS = "train_seconds";
    public static final String ONNX_TEST_ACCURACY = "onnx_test_accuracy";

    private TrainingReport() {
    }

    public static Map<String, Object> classification(ClassificationMetrics m, List<String> classNames) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("test_samples", m.samples());
        out.put(TEST_ACCURACY, m.accuracy());
        out.put("precision_macro", m.precisionMacro());
        out.put("recall_macro", m.recallMacro());
        out.put(F1_MACRO, m.f1Macro());
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (int c = 0; c < m.f1().length; c++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", c < classNames.size() ? classNames.get(c) : Integer.toString(c));
            row.put("precision", m.precision()[c]);
            row.put("recall", m.recall()[c]);
            row.put("f1", m.f1()[c]);
            perClass.add(row);
        }
        out.put("per_class", perClass);
        List<List<Long>> confusion = new ArrayList<>();
        for (long[] row : m.confusion()) {
            List<Long> r = new ArrayList<>();
            for (long v : row) {
                r.add(v);
            }
            confusion.add(r);
        }
        out.put("confusion_matrix", confusion);
        return out;
    }

    public static Map<String, Object> regression(RegressionMetrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("test_samples", m.samples());
        out.put("mse", m.mse());
        out.put("mae", m.mae());
        out.put("r2", m.r2());
        return out;
    }
}
