package io.edgeloop.packager.data;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvDatasetReaderTest {
    @TempDir
    Path dir;

    private Path csv(String... lines) throws Exception {
        Path file = dir.resolve("data.csv");
        Files.write(file, List.of(lines));
        return file;
    }

    @Test
    void cleansDuplicatesAndMissingValuesAndReportsWhatItDid() throws Exception {
        Path file = csv("age,income,sex,label",
                "30,1000,f,yes",
                "30,1000,f,yes",          // duplicate of line 2
                ",2000,m,no",             // age missing: imputed with the median
                "40,NA,m,no",             // income missing: row dropped
                "50,3000,f,\"yes\"",
                "20,4000,m,");            // label missing: row dropped
        TabularData data = new CsvDatasetReader().read(CsvSpec.parse(
                "csv:" + file + "?label=label&group=sex&missing=age:median,income:drop"));
        CleaningReport report = data.report();
        assertEquals(6, report.rowsRead());
        assertEquals(3, report.rowsKept());
        assertEquals(1, report.duplicatesRemoved());
        assertEquals(1, report.rowsDroppedForMissing().get("income"));
        assertEquals(1, report.rowsDroppedForMissing().get("label"));
        assertEquals(1, report.valuesImputed().get("age"));
        assertEquals(40.0, report.imputedWith().get("age"), 1e-9);

        Dataset d = data.dataset();
        assertEquals(List.of("age", "income"), d.featureNames());
        assertEquals(List.of("no", "yes"), d.classNames());
        assertArrayEquals(new float[] {30, 1000, 40, 2000, 50, 3000}, d.features());
        assertArrayEquals(new float[] {1, 0, 1}, d.targets());
        assertEquals(List.of("f", "m", "f"), data.groups());
    }

    @Test
    void refusesANonNumericValueNamingLineAndColumn() throws Exception {
        Path file = csv("age,income,label", "30,1000,a", "31,lots,b");
        EdgeLoopException e = assertThrows(EdgeLoopException.class,
                () -> new CsvDatasetReader().read(CsvSpec.parse("csv:" + file + "?label=label")));
        assertEquals(ErrorCode.DATASET_INVALID, e.code());
        assertEquals("line 3, column 'income': 'lots' is not a number", e.getMessage());
    }

    @Test
    void refusesAnOutOfRangeValueNamingLineAndColumn() throws Exception {
        Path file = csv("age,income,label", "30,1000,a", "31,1000,b", "250,10,a");
        EdgeLoopException e = assertThrows(EdgeLoopException.class,
                () -> new CsvDatasetReader().read(CsvSpec.parse("csv:" + file + "?label=label&range=age:0:120")));
        assertEquals(ErrorCode.DATASET_INVALID, e.code());
        assertTrue(e.getMessage().startsWith("line 4, column 'age': 250 is outside [0.0, 120.0]"), e.getMessage());
    }

    @Test
    void refusesBadSpecsClearly() throws Exception {
        Path file = csv("a,b", "1,2");
        EdgeLoopException noLabel = assertThrows(EdgeLoopException.class, () -> CsvSpec.parse("csv:" + file));
        assertTrue(noLabel.getMessage().contains("label=COLUMN"));
        EdgeLoopException unknown = assertThrows(EdgeLoopException.class,
                () -> new CsvDatasetReader().read(CsvSpec.parse("csv:" + file + "?label=zz")));
        assertTrue(unknown.getMessage().contains("'zz' is not in the header"), unknown.getMessage());
        EdgeLoopException ragged = assertThrows(EdgeLoopException.class,
                () -> new CsvDatasetReader().read(CsvSpec.parse("csv:" + csv("a,b", "1,2,3") + "?label=b")));
        assertEquals("line 2 has 3 fields; the header has 2", ragged.getMessage());
    }

    @Test
    void readsRegressionTargetsThroughTheLoader() throws Exception {
        Path file = csv("x,y", "1,2.5", "2,4.5");
        Dataset d = new DatasetLoader(dir).load("csv:" + file + "?label=y&task=regression");
        assertTrue(d.classNames().isEmpty());
        assertArrayEquals(new float[] {2.5f, 4.5f}, d.targets());
    }
}
